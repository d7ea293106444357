"""Fault switches: make one subsystem of the simulator fail on purpose.

Tests and a trainer at a demo desk use them to see how the console rides out an outage of one
external system (HTTP errors, hung responses, garbage bodies, slowness) while the others keep
working. A switch can be set in code or over HTTP (`PUT /_sim/faults/{subsystem}`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

# The external systems of the gateway contract, one tag each in resources/api/.
SUBSYSTEMS: tuple[str, ...] = (
    "calls",
    "submissions",
    "lookups",
    "sms",
    "insurers",
    "checkpoints",
    "credit",
)

# A hung response sleeps this long unless told otherwise: far past any read timeout the
# console uses, and it is cut short when the simulator stops.
DEFAULT_TIMEOUT_MS = 30_000
DEFAULT_SLOW_MS = 1_500
MAX_DELAY_MS = 600_000


class FaultMode(StrEnum):
    NONE = "none"
    ERROR = "error"  # answer 5xx without handling the request
    TIMEOUT = "timeout"  # sleep past the client's read timeout, then handle it anyway
    MALFORMED = "malformed"  # handle the request, then send a body the client must refuse
    SLOW = "slow"  # sleep delay_ms, then answer normally


class MalformedKind(StrEnum):
    INVALID_JSON = "invalid_json"  # a truncated document
    WRONG_SHAPE = "wrong_shape"  # valid JSON, same keys, every value of the wrong type


@dataclass(frozen=True)
class Fault:
    """How one subsystem misbehaves; `times` limits it to the next N requests."""

    mode: FaultMode = FaultMode.NONE
    delay_ms: int | None = None
    status: int = 503
    malformed: MalformedKind = MalformedKind.INVALID_JSON
    times: int | None = None

    def __post_init__(self) -> None:
        if not 500 <= self.status <= 599:
            raise ValueError(f"fault status must be a 5xx code, not {self.status}")
        if self.delay_ms is not None and not 0 <= self.delay_ms <= MAX_DELAY_MS:
            raise ValueError(f"delay_ms must be between 0 and {MAX_DELAY_MS}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1")

    @property
    def active(self) -> bool:
        return self.mode is not FaultMode.NONE

    @property
    def sleep_s(self) -> float:
        """How long a request waits before it is handled (timeout and slow modes only)."""
        if self.mode is FaultMode.TIMEOUT:
            return (self.delay_ms if self.delay_ms is not None else DEFAULT_TIMEOUT_MS) / 1000
        if self.mode is FaultMode.SLOW:
            return (self.delay_ms if self.delay_ms is not None else DEFAULT_SLOW_MS) / 1000
        return 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "delay_ms": self.delay_ms,
            "status": self.status,
            "malformed": self.malformed.value,
            "times": self.times,
        }

    @classmethod
    def from_json(cls, data: object) -> Fault:
        """Parse a `PUT /_sim/faults/{subsystem}` body; ValueError says what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("the body must be a JSON object")
        unknown = set(data) - {"mode", "delay_ms", "status", "malformed", "times"}
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        try:
            mode = FaultMode(data.get("mode", "none"))
            malformed = MalformedKind(data.get("malformed", MalformedKind.INVALID_JSON.value))
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        return cls(
            mode=mode,
            delay_ms=_optional_int(data, "delay_ms"),
            status=_optional_int(data, "status") or 503,
            malformed=malformed,
            times=_optional_int(data, "times"),
        )


def _optional_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an integer")
    return value


NO_FAULT = Fault()


class FaultSwitch:
    """The current fault of every subsystem; safe to set from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}

    def set(self, subsystem: str, fault: Fault) -> None:
        _check_subsystem(subsystem)
        with self._lock:
            if fault.active:
                self._faults[subsystem] = fault
            else:
                self._faults.pop(subsystem, None)

    def clear(self, subsystem: str | None = None) -> None:
        """Clear one subsystem's fault, or every fault."""
        with self._lock:
            if subsystem is None:
                self._faults.clear()
            else:
                _check_subsystem(subsystem)
                self._faults.pop(subsystem, None)

    def get(self, subsystem: str) -> Fault:
        with self._lock:
            return self._faults.get(subsystem, NO_FAULT)

    def take(self, subsystem: str) -> Fault:
        """The fault for one request, counting down a limited fault as it is used."""
        with self._lock:
            fault = self._faults.get(subsystem, NO_FAULT)
            if fault.times is not None:
                if fault.times <= 1:
                    del self._faults[subsystem]
                else:
                    self._faults[subsystem] = replace(fault, times=fault.times - 1)
            return fault

    def snapshot(self) -> dict[str, Fault]:
        with self._lock:
            return {name: self._faults.get(name, NO_FAULT) for name in SUBSYSTEMS}


def _check_subsystem(subsystem: str) -> None:
    if subsystem not in SUBSYSTEMS:
        raise ValueError(f"unknown subsystem {subsystem!r}; one of {', '.join(SUBSYSTEMS)}")


def wrong_shape(value: object) -> object:
    """The same document with every leaf of the wrong type, so only a validating client
    notices: strings become numbers, numbers strings, lists objects."""
    if isinstance(value, Mapping):
        return {str(k): wrong_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return {"items": len(value)}
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return len(value)
    return 0  # null


def malformed_body(payload: object, kind: MalformedKind) -> bytes:
    """A response body the client must refuse."""
    if kind is MalformedKind.WRONG_SHAPE:
        return json.dumps(wrong_shape(payload), ensure_ascii=False).encode()
    text = json.dumps(payload, ensure_ascii=False)
    return text[: max(1, len(text) // 2)].encode()
