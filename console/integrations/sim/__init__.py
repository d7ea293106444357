"""The hall simulator: every external system the hall talks to, served on loopback.

Demo mode and the tests start `SimulatorServer` in-process; `hall-sim` runs it on its own.
"""

from __future__ import annotations

from console.integrations.sim.calls import CallSimulator, ManualClock, SystemClock
from console.integrations.sim.faults import Fault, FaultMode, FaultSwitch, MalformedKind
from console.integrations.sim.server import ROUTES, SimulatorServer

__all__ = [
    "ROUTES",
    "CallSimulator",
    "Fault",
    "FaultMode",
    "FaultSwitch",
    "MalformedKind",
    "ManualClock",
    "SimulatorServer",
    "SystemClock",
]
