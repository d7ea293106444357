"""The hall simulator: every external system the hall talks to, served on loopback.

Demo mode and the tests start `SimulatorServer` in-process; `hall-sim` runs it on its own.
It serves the 122 call handover, the parties' submissions (with synthetic photos and the
defects review must catch), the vehicle, licence and policy records, and SMS.
"""

from __future__ import annotations

from console.integrations.sim.calls import CallSimulator, ManualClock, SystemClock
from console.integrations.sim.faults import Fault, FaultMode, FaultSwitch, MalformedKind
from console.integrations.sim.images import (
    DEFAULT_PHOTO_BYTES,
    HALL_PHOTO_LIMIT_BYTES,
    OVERSIZE_BYTES,
    PhotoFactory,
)
from console.integrations.sim.records import RecordBook
from console.integrations.sim.server import ROUTES, SimulatorServer
from console.integrations.sim.sms import SmsSimulator
from console.integrations.sim.submissions import SubmissionSimulator

__all__ = [
    "DEFAULT_PHOTO_BYTES",
    "HALL_PHOTO_LIMIT_BYTES",
    "OVERSIZE_BYTES",
    "ROUTES",
    "CallSimulator",
    "Fault",
    "FaultMode",
    "FaultSwitch",
    "MalformedKind",
    "ManualClock",
    "PhotoFactory",
    "RecordBook",
    "SimulatorServer",
    "SmsSimulator",
    "SubmissionSimulator",
    "SystemClock",
]
