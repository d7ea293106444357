"""The simulated SMS platform: templated messages, delivery reports, failing numbers.

A message is accepted at once and reaches each recipient over a second or two of simulated
time: `queued` → `sent` (handed to the carrier) → `delivered`, or `failed` with the carrier's
error for a number a test or a trainer made fail. The Idempotency-Key is the platform's
promise that the outbox may retry: the same key answers with the same message and sends
nothing. Every message is kept with its rendered Chinese text, so tests can read what the
parties would.

A `guidance` message tells the submissions side, which (while its generator is on) schedules
the parties' upload for the case named in its link.
"""

from __future__ import annotations

import itertools
import logging
import random
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from string import Formatter
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from console.integrations.sim.calls import CHINA_TZ, Clock, SystemClock
from console.integrations.sim.submissions import iso

log = logging.getLogger("console.net.sim")

# Citizen-facing, so always Chinese. Placeholders a template must be given (`required`) are
# checked; the others are filled with what is there.
TEMPLATES: Final[dict[str, tuple[tuple[str, ...], str]]] = {
    "guidance": (
        ("case_no", "link"),
        "【警保联动】您报的交通事故已受理，案件编号{case_no}。请开启危险报警闪光灯、在车后放置"
        "警告标志，人员撤至安全处；拍摄车辆前后45度、碰撞部位及双方驾驶证、行驶证照片，并通过"
        "以下链接上传：{link} 如有人员受伤或车辆无法移动，请立即拨打122。",
    ),
    "evacuate": (
        (),
        "【警保联动】案件{case_no}材料审核通过，请立即将车辆撤离至不妨碍交通的地点，"
        "等待责任认定结果。",
    ),
    "returned": (
        (),
        "【警保联动】案件{case_no}的材料需要补充：{reasons}。请通过原链接重新上传。{link}",
    ),
    "determined": (
        (),
        "【警保联动】案件{case_no}已作出责任认定，认定书编号{doc_no}，查看：{link} "
        "如有异议，可在收到后3日内提出。",
    ),
    "agreement": ((), "【警保联动】案件{case_no}的自行协商协议书已生成，查看：{link}"),
    "insurer_report": (
        (),
        "【警保联动】案件{case_no}已推送至{insurer}，报案号{report_no}，理赔人员将与您联系。",
    ),
    "complaint_received": (
        (),
        "【警保联动】您关于案件{case_no}的投诉已受理，我们将在24小时内联系您。",
    ),
    "video_link": ((), "【警保联动】请点击链接与民警视频连线：{link}"),
}
DEFAULT_FAILURE: Final = "UNDELIV: subscriber absent"
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
KEY_MIN, KEY_MAX = 8, 128


class SmsError(Exception):
    """A request the platform refuses: the HTTP answer to give."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.status = status
        self.body: dict[str, Any] = {"error": error}
        if detail:
            self.body["detail"] = detail


@dataclass
class _Recipient:
    to: str
    sent_at: datetime
    done_at: datetime
    error: str | None = None  # set: it fails at done_at

    def state(self, queued_at: datetime, now: datetime) -> dict[str, Any]:
        if now < self.sent_at:
            return {"to": self.to, "state": "queued", "at": iso(queued_at), "error": None}
        if now < self.done_at:
            return {"to": self.to, "state": "sent", "at": iso(self.sent_at), "error": None}
        if self.error is not None:
            return {"to": self.to, "state": "failed", "at": iso(self.done_at), "error": self.error}
        return {"to": self.to, "state": "delivered", "at": iso(self.done_at), "error": None}


@dataclass
class _Message:
    id: str
    to: list[str]
    template: str
    params: dict[str, str]
    case_no: str | None
    text: str
    accepted_at: datetime
    idempotency_key: str
    recipients: list[_Recipient]

    def status(self, now: datetime) -> dict[str, Any]:
        return {
            "message_id": self.id,
            "recipients": [r.state(self.accepted_at, now) for r in self.recipients],
        }

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "message_id": self.id,
            "to": list(self.to),
            "template": self.template,
            "params": dict(self.params),
            "case_no": self.case_no,
            "text": self.text,
            "accepted_at": iso(self.accepted_at),
            "idempotency_key": self.idempotency_key,
            "recipients": self.status(now)["recipients"],
        }


GuidanceHook = Callable[[str, str | None, str], object]
"""Called with (case_no, token, phone) after a guidance message is accepted."""


class SmsSimulator:
    """The SMS platform. Thread-safe."""

    def __init__(
        self,
        *,
        seed: int = 1,
        clock: Clock | None = None,
        on_guidance: GuidanceHook | None = None,
        max_messages: int = 50_000,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.on_guidance = on_guidance
        self._rng = random.Random(f"{seed}/sms")
        self._lock = threading.Lock()
        self._messages: OrderedDict[str, _Message] = OrderedDict()
        self._by_key: dict[str, str] = {}
        self._failing: dict[str, str] = {}
        self._serial = itertools.count(1)
        self._max_messages = max_messages

    def send(self, body: object, idempotency_key: str | None) -> dict[str, Any]:
        """Accept a message (see `SmsRequest`); the same key gets the first answer again."""
        if not idempotency_key:
            raise SmsError(400, "idempotency_key_required", "send an Idempotency-Key")
        if not KEY_MIN <= len(idempotency_key) <= KEY_MAX:
            raise SmsError(400, "bad_request", f"the key must be {KEY_MIN}–{KEY_MAX} characters")
        to, template, params, case_no = _request(body)
        with self._lock:
            known = self._by_key.get(idempotency_key)
            if known is not None and known in self._messages:
                first = self._messages[known]
                return {"message_id": first.id, "accepted_at": iso(first.accepted_at)}
            now = self.clock.now()
            local = now.astimezone(CHINA_TZ)
            message_id = f"SMS{local:%Y%m%d}{next(self._serial):06d}"
            recipients = []
            for number in to:
                sent = now + timedelta(seconds=self._rng.uniform(0.2, 0.6))
                done = sent + timedelta(seconds=self._rng.uniform(0.4, 1.4))
                recipients.append(_Recipient(number, sent, done, self._failing.get(number)))
            message = _Message(
                message_id,
                list(to),
                template,
                dict(params),
                case_no,
                render(template, params, case_no),
                now,
                idempotency_key,
                recipients,
            )
            self._messages[message_id] = message
            self._by_key[idempotency_key] = message_id
            while len(self._messages) > self._max_messages:
                _, old = self._messages.popitem(last=False)
                self._by_key.pop(old.idempotency_key, None)
            accepted = {"message_id": message_id, "accepted_at": iso(now)}
        if template == "guidance" and self.on_guidance is not None:
            case = params.get("case_no") or case_no or ""
            token = _token(params.get("link", ""))
            try:
                self.on_guidance(case, token, to[0])
            except Exception:  # the upload is a side show; the message was accepted
                log.exception("scheduling the parties' upload failed")
        return accepted

    def status(self, message_id: str) -> dict[str, Any]:
        with self._lock:
            message = self._messages.get(message_id)
            if message is None:
                raise SmsError(404, "no_such_message")
            return message.status(self.clock.now())

    def sent(self) -> list[dict[str, Any]]:
        """Every message kept, oldest first, with its text and delivery as of now."""
        with self._lock:
            now = self.clock.now()
            return [m.to_json(now) for m in self._messages.values()]

    def fail(self, to: str, error: str | None = None) -> list[dict[str, str]]:
        """Messages to `to` fail from now on, including deliveries still under way."""
        if not _MOBILE.match(to):
            raise ValueError("to must be a mobile number")
        reason = error or DEFAULT_FAILURE
        if len(reason) > 200:
            raise ValueError("error must be at most 200 characters")
        with self._lock:
            self._failing[to] = reason
            now = self.clock.now()
            for message in self._messages.values():
                for recipient in message.recipients:
                    if recipient.to == to and recipient.done_at > now and recipient.error is None:
                        recipient.error = reason
            return self._failures()

    def clear_failures(self) -> list[dict[str, str]]:
        with self._lock:
            self._failing.clear()
            return self._failures()

    def failures(self) -> list[dict[str, str]]:
        with self._lock:
            return self._failures()

    def _failures(self) -> list[dict[str, str]]:
        return [{"to": to, "error": error} for to, error in sorted(self._failing.items())]


def render(template: str, params: Mapping[str, str], case_no: str | None) -> str:
    """The text the parties read; a placeholder nobody gave is left empty."""
    values = {"case_no": case_no or ""}
    values.update(params)
    _, text = TEMPLATES[template]
    names = {name for _, name, _, _ in Formatter().parse(text) if name}
    return text.format(**{name: values.get(name, "") for name in names}).strip()


def _token(link: str) -> str | None:
    try:
        query = parse_qs(urlsplit(link).query)
    except ValueError:
        return None
    values = query.get("t")
    return values[-1] if values else None


def _request(body: object) -> tuple[list[str], str, dict[str, str], str | None]:
    if not isinstance(body, Mapping):
        raise ValueError("the body must be a JSON object")
    missing = [k for k in ("to", "template", "params", "case_no") if k not in body]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")
    unknown = set(body) - {"to", "template", "params", "case_no"}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    to = body["to"]
    if (
        not isinstance(to, list)
        or not 1 <= len(to) <= 10
        or not all(isinstance(n, str) and _MOBILE.match(n) for n in to)
    ):
        raise ValueError("to must be a list of 1–10 mobile numbers")
    template = body["template"]
    if template not in TEMPLATES:
        raise ValueError(f"template must be one of {', '.join(TEMPLATES)}")
    params = body["params"]
    if not isinstance(params, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= 200 for k, v in params.items()
    ):
        raise ValueError("params must map names to strings of at most 200 characters")
    case_no = body["case_no"]
    if case_no is not None and (not isinstance(case_no, str) or len(case_no) > 32):
        raise ValueError("case_no must be a string of at most 32 characters or null")
    required, _ = TEMPLATES[template]
    absent = [name for name in required if not params.get(name)]
    if absent:
        raise SmsError(400, "missing_params", f"{template} needs {', '.join(absent)}")
    return list(to), str(template), dict(params), case_no
