"""`SubmissionGateway` against the simulator over real loopback HTTP.

Submissions are injected into the simulator as the parties' app would make them, defects
included, and read back through the client: the event log, the typed submission, the photo
bytes (streamed, with the size limit), the review round trip and re-submission, and each fault
mode with the link's health.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import requests

from console.domain.review import PARTY_PHOTOS, SCENE_PHOTOS, ReturnCode
from console.integrations.http import (
    GatewayUnavailable,
    LinkState,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
)
from console.integrations.sim import (
    HALL_PHOTO_LIMIT_BYTES,
    OVERSIZE_BYTES,
    Fault,
    FaultMode,
    MalformedKind,
    SimulatorServer,
)
from console.integrations.sim import submissions as sim_submissions
from console.integrations.submissions import (
    PhotoKind,
    PhotoTooLarge,
    ReturnReason,
    ReviewOutcome,
    ReviewRefused,
    SubmissionEventBatch,
    SubmissionEventKind,
    SubmissionGateway,
    SubmissionInfo,
    SubmissionNotFound,
    SubmissionState,
    follow_submission_events,
)

SPEC_PATH = Path(__file__).resolve().parents[2] / "resources" / "api" / "hall-gateway.openapi.json"
FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
FAST_TIMEOUTS = Timeouts(connect_s=1.0, read_s=0.3)
SMALL = 30_000  # photo size for tests that do not look at sizes: drawn smaller, faster
CASE_NO = "DY20250312-0042"


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(seed=13, calls_per_hour=0, generate=False, photo_bytes=SMALL)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[SubmissionGateway]:
    client = SubmissionGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        yield client
    finally:
        client.close()


def inject(sim: SimulatorServer, **spec: Any) -> str:
    submission_id: str = sim.submissions.inject(spec)["id"]
    return submission_id


def state_of(gateway: SubmissionGateway) -> LinkState:
    return gateway.health.state


def set_fault(sim: SimulatorServer, mode: FaultMode, **kw: Any) -> None:
    sim.faults.set("submissions", Fault(mode=mode, **kw))


def decodes(data: bytes) -> bool:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return image is not None and image.shape[0] > 100


def photo_of(info: SubmissionInfo, kind: str, letter: str | None = None) -> Any:
    [photo] = info.photos_of(kind, letter)
    return photo


RETURN = ReturnReason(ReturnCode.PHOTO_ILLEGIBLE, None, "碰撞部位照片无法识别，请重新拍摄上传",
                      PhotoKind.COLLISION_POINT)  # fmt: skip


# ---------------------------------------------------------------- vocabulary


def test_states_kinds_and_codes_agree_across_contract_simulator_client_and_domain() -> None:
    schemas = json.loads(SPEC_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    submission = schemas["Submission"]["properties"]
    assert submission["state"]["enum"] == [s.value for s in SubmissionState]
    assert [s.value for s in sim_submissions.SubmissionState] == [s.value for s in SubmissionState]
    event_kinds = schemas["SubmissionEvent"]["properties"]["kind"]["enum"]
    assert event_kinds == [k.value for k in SubmissionEventKind]
    assert [k.value for k in sim_submissions.SubmissionEventKind] == event_kinds
    assert schemas["PhotoKind"]["enum"] == [k.value for k in PhotoKind]
    assert {*SCENE_PHOTOS, *PARTY_PHOTOS} <= {k.value for k in PhotoKind}
    codes = schemas["ReturnReason"]["properties"]["code"]["enum"]
    assert codes == [c.value for c in ReturnCode] == list(sim_submissions.RETURN_CODES)
    assert schemas["AccidentForm"]["enum"] == list(sim_submissions.ACCIDENT_FORMS)
    for key in ("case_no", "token", "round"):
        assert key in submission


# ---------------------------------------------------------------- reading


def test_an_injected_submission_reads_back_typed(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    occurred = datetime.now(UTC) - timedelta(minutes=7)
    sid = inject(
        sim,
        case_no=CASE_NO,
        token="tok-abc123",
        call_id="122-20250312-00007",
        channel="wechat",
        occurred_at=occurred.isoformat(),
        place={"text": "东营区府前大街与东三路路口", "lat": 37.44, "lon": 118.66,
               "district": "东营区"},
        accident_form="113",
        parties=[{"name": "王芳", "phone": "13912345678", "plate_no": "鲁E12345",
                  "plate_type": "02", "insurer_code": "PAIC"}, {"licence_class": "B2"}],
        agreement={"A": "full", "B": "none"},
        extra_photos=1,
    )  # fmt: skip
    batch = gateway.poll_events(0, wait_s=0)
    assert isinstance(batch, SubmissionEventBatch) and batch.refused == 0
    [event] = batch.events
    assert (event.seq, event.kind, event.submission_id) == (1, SubmissionEventKind.SUBMITTED, sid)
    assert batch.next_seq == 1 and event.at.tzinfo is UTC
    info = gateway.submission(sid)
    assert info.submission_id == sid and info.state is SubmissionState.SUBMITTED
    assert (info.case_no, info.token, info.call_id) == (CASE_NO, "tok-abc123", "122-20250312-00007")
    assert info.channel == "wechat" and info.round == 1
    assert abs(info.occurred_at - occurred) < timedelta(milliseconds=2)
    assert info.occurred_at < info.submitted_at
    assert info.place.text == "东营区府前大街与东三路路口" and info.place.district == "东营区"
    assert (info.place.lat, info.place.lon) == (37.44, 118.66)
    assert info.accident_form == "113" and not info.injuries and info.movable
    a, b = info.parties
    assert (a.letter, a.name, a.phone, a.plate_no, a.plate_type) == (
        "A", "王芳", "13912345678", "鲁E12345", "02"
    )  # fmt: skip
    assert a.insurer_code == "PAIC" and a.policy_no and a.policy_no.startswith("PAJQ")
    assert a.licence_number == a.id_number and a.licence_class
    assert b.letter == "B" and b.licence_class == "B2" and (b.plate_no or "").startswith("鲁E")
    assert info.party("C") is None and info.party("B") == b
    assert info.agreement is not None
    assert info.agreement.grade("A") == "full" and info.agreement.grade("B") == "none"
    # Every required photo, each party's documents named by letter, and the extra one.
    kinds = [(p.kind.value, p.party_letter) for p in info.photos]
    assert kinds[:3] == [(k, None) for k in SCENE_PHOTOS]
    assert kinds[3:7] == [(k, letter) for letter in "AB" for k in PARTY_PHOTOS]
    assert len(kinds) == 8 and kinds[7][0] in ("scene_other", "damage")
    assert len({p.photo_id for p in info.photos}) == 8
    for photo in info.photos:
        assert photo.mime == "image/jpeg" and photo.size > 1000
        assert photo.taken_at is not None and info.occurred_at <= photo.taken_at
        assert photo.taken_at <= info.submitted_at
        assert abs((photo.lat or 0) - 37.44) < 0.001
    assert gateway.poll_events(1, wait_s=0).events == ()
    assert state_of(gateway) is LinkState.UP


def test_photos_are_real_jpegs_of_believable_size_matching_their_claims(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, photo_bytes=250_000, extra_photos=0)
    info = gateway.submission(sid)
    hashes = set()
    for photo in info.photos:
        data = gateway.photo_bytes(sid, photo.photo_id)
        assert len(data) == photo.size
        assert hashlib.sha256(data).hexdigest() == photo.sha256
        assert 150_000 <= len(data) <= 400_000, (photo.kind, len(data))
        assert decodes(data)
        hashes.add(photo.sha256)
    assert len(hashes) == len(info.photos)  # every photo is its own file
    assert state_of(gateway) is LinkState.UP


def test_missing_corrupt_pdf_and_mismatched_photos_show_as_described(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(
        sim,
        missing=["scene_rear_side", "vehicle_registration:B"],
        corrupt="collision_point",
        pdf_as_jpg="driving_licence:A",
        hash_mismatch="vehicle_registration:A",
        extra_photos=0,
    )
    info = gateway.submission(sid)
    assert not info.photos_of(PhotoKind.SCENE_REAR_SIDE)
    assert not info.photos_of(PhotoKind.VEHICLE_REGISTRATION, "B")
    assert len(info.photos) == 5
    corrupt = photo_of(info, "collision_point")
    data = gateway.photo_bytes(sid, corrupt.photo_id)
    assert data[:2] == b"\xff\xd8"  # it sniffs as a JPEG …
    assert hashlib.sha256(data).hexdigest() == corrupt.sha256
    assert not decodes(data)  # … but does not decode
    pdf = photo_of(info, "driving_licence", "A")
    data = gateway.photo_bytes(sid, pdf.photo_id)
    assert pdf.mime == "image/jpeg" and data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF") and len(data) < 200_000
    assert hashlib.sha256(data).hexdigest() == pdf.sha256
    mismatch = photo_of(info, "vehicle_registration", "A")
    data = gateway.photo_bytes(sid, mismatch.photo_id)
    assert decodes(data) and hashlib.sha256(data).hexdigest() != mismatch.sha256
    fine = photo_of(info, "driving_licence", "B")
    assert decodes(gateway.photo_bytes(sid, fine.photo_id))


def test_an_oversize_photo_is_refused_while_it_streams(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, oversize="driving_licence:B", extra_photos=0)
    info = gateway.submission(sid)
    big = photo_of(info, "driving_licence", "B")
    assert big.size == OVERSIZE_BYTES == 10 * HALL_PHOTO_LIMIT_BYTES
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(PhotoTooLarge) as refused:
            gateway.photo_bytes(sid, big.photo_id, max_bytes=HALL_PHOTO_LIMIT_BYTES)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 2
    assert peak < 3 * HALL_PHOTO_LIMIT_BYTES  # never the 80 MiB
    error = refused.value
    assert error.declared is None  # sent chunked: the client had to count
    assert HALL_PHOTO_LIMIT_BYTES < error.received <= HALL_PHOTO_LIMIT_BYTES + 128 * 1024
    assert (error.submission_id, error.photo_id, error.limit) == (
        sid, big.photo_id, HALL_PHOTO_LIMIT_BYTES
    )  # fmt: skip
    assert state_of(gateway) is LinkState.UP  # a big file is not a broken link
    # The link carries on, and a declared length over the limit is refused before reading.
    small = photo_of(info, "scene_front_side")
    with pytest.raises(PhotoTooLarge) as early:
        gateway.photo_bytes(sid, small.photo_id, max_bytes=1000)
    assert early.value.declared == small.size and early.value.received == 0
    assert len(gateway.photo_bytes(sid, small.photo_id)) == small.size


def test_unknown_submissions_and_photos_are_not_found(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, extra_photos=0)
    with pytest.raises(SubmissionNotFound) as missing:
        gateway.submission("S19990101-00001")
    assert missing.value.status == 404 and missing.value.code == "no_such_submission"
    with pytest.raises(SubmissionNotFound) as no_photo:
        gateway.photo_bytes(sid, "nope")
    assert no_photo.value.code == "no_such_photo" and no_photo.value.photo_id == "nope"
    with pytest.raises(ValueError, match="empty"):
        gateway.submission("")
    assert state_of(gateway) is LinkState.UP


# ---------------------------------------------------------------- review and re-submission


def test_a_returned_submission_is_uploaded_again_and_then_approved(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, case_no=CASE_NO, corrupt="collision_point", missing="scene_rear_side",
                 extra_photos=0)  # fmt: skip
    first = gateway.submission(sid)
    old_collision = photo_of(first, "collision_point")
    recorded = gateway.record_review(
        sid, outcome="returned", case_no=CASE_NO, reviewer_seat="审核-01", reasons=[RETURN]
    )
    assert recorded.state is ReviewOutcome.RETURNED and recorded.submission_id == sid
    again = gateway.record_review(
        sid, outcome=ReviewOutcome.RETURNED, case_no=CASE_NO, reviewer_seat="审核-01",
        reasons=[RETURN],
    )  # fmt: skip
    assert again.recorded_at == recorded.recorded_at  # the same outcome is answered as recorded
    with pytest.raises(ReviewRefused) as refused:
        gateway.record_review(sid, outcome="approved", case_no=CASE_NO, reviewer_seat="审核-01")
    assert refused.value.status == 409 and refused.value.code == "already_reviewed"
    assert gateway.submission(sid).state is SubmissionState.RETURNED
    # The parties take the flawed and missing photos again: a new round, new ids.
    sim.submissions.resubmit(sid)
    batch = gateway.poll_events(1, wait_s=0)
    assert [e.kind for e in batch.events] == [SubmissionEventKind.RESUBMITTED]
    second = gateway.submission(sid)
    assert second.round == 2 and second.state is SubmissionState.SUBMITTED
    assert second.submitted_at > first.submitted_at
    kinds = [(p.kind.value, p.party_letter) for p in second.photos]
    assert kinds[:3] == [(k, None) for k in SCENE_PHOTOS]
    new_collision = photo_of(second, "collision_point")
    assert new_collision.photo_id != old_collision.photo_id
    assert decodes(gateway.photo_bytes(sid, new_collision.photo_id))
    assert photo_of(second, "scene_front_side") == photo_of(first, "scene_front_side")
    assert not decodes(gateway.photo_bytes(sid, old_collision.photo_id))  # still served
    approved = gateway.record_review(
        sid, outcome="approved", case_no=CASE_NO, reviewer_seat="审核-02", reasons=()
    )
    assert approved.state is ReviewOutcome.APPROVED
    reviews = sim.submissions.reviews(sid)
    assert [(r["round"], r["outcome"], r["reviewer_seat"]) for r in reviews] == [
        (1, "returned", "审核-01"), (2, "approved", "审核-02"),
    ]  # fmt: skip
    assert reviews[0]["reasons"] == [RETURN.to_json()]
    with pytest.raises(sim_submissions.SubmissionError, match="approved"):
        sim.submissions.resubmit(sid)


def test_a_review_names_its_case_and_a_withdrawn_report_takes_none(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    mine = inject(sim, case_no=CASE_NO, extra_photos=0)
    with pytest.raises(ReviewRefused) as wrong:
        gateway.record_review(mine, outcome="approved", case_no="DY-OTHER", reviewer_seat="R1")
    assert wrong.value.code == "case_mismatch"
    # A report made in the app on its own takes the case number the review gives.
    loose = inject(sim, extra_photos=0)
    assert gateway.submission(loose).case_no is None
    gateway.record_review(loose, outcome="approved", case_no="DY-LOOSE", reviewer_seat="R1")
    assert gateway.submission(loose).case_no == "DY-LOOSE"
    sim.submissions.withdraw(mine)
    sim.submissions.withdraw(mine)  # once only
    with pytest.raises(ReviewRefused) as withdrawn:
        gateway.record_review(mine, outcome="approved", case_no=CASE_NO, reviewer_seat="R1")
    assert withdrawn.value.code == "withdrawn"
    with pytest.raises(SubmissionNotFound):
        gateway.record_review("S19990101-00001", outcome="approved", case_no="X", reviewer_seat="R")
    kinds = [e.kind for e in gateway.poll_events(0, wait_s=0).events]
    assert kinds == [SubmissionEventKind.SUBMITTED] * 2 + [SubmissionEventKind.WITHDRAWN]


def test_review_input_is_checked_before_sending(gateway: SubmissionGateway) -> None:
    with pytest.raises(ValueError, match="reason"):
        gateway.record_review("S1", outcome="returned", case_no=CASE_NO, reviewer_seat="R1")
    with pytest.raises(ValueError, match="reason"):
        gateway.record_review(
            "S1", outcome="approved", case_no=CASE_NO, reviewer_seat="R1", reasons=[RETURN]
        )
    with pytest.raises(ValueError):  # noqa: PT011 - an unknown outcome
        gateway.record_review("S1", outcome="maybe", case_no=CASE_NO, reviewer_seat="R1")
    long_text = ReturnReason(ReturnCode.PHOTO_MISSING, None, "缺" * 201)
    with pytest.raises(ValueError, match="200"):
        gateway.record_review(
            "S1", outcome="returned", case_no=CASE_NO, reviewer_seat="R1", reasons=[long_text]
        )


def test_photos_added_and_an_agreement_signed_come_as_events(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, extra_photos=0)
    sim.submissions.add_photos(sid, {"photos": ["damage", "scene_other"]})
    sim.submissions.sign_agreement(sid, {"A": "equal", "B": "equal"})
    batch = gateway.poll_events(0, wait_s=0)
    assert [e.kind for e in batch.events] == [
        SubmissionEventKind.SUBMITTED, SubmissionEventKind.PHOTOS_ADDED,
        SubmissionEventKind.AGREEMENT_SIGNED,
    ]  # fmt: skip
    info = gateway.submission(sid)
    assert [p.kind for p in info.photos[-2:]] == [PhotoKind.DAMAGE, PhotoKind.SCENE_OTHER]
    assert info.agreement is not None and info.agreement.grades == (("A", "equal"), ("B", "equal"))


def test_a_long_poll_waits_for_the_next_upload(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    timer = threading.Timer(0.3, inject, args=(sim,), kwargs={"extra_photos": 0})
    timer.name = "hall-sim-test-timer"
    started = time.monotonic()
    timer.start()
    try:
        batch = gateway.poll_events(0, wait_s=5)
    finally:
        timer.join()
    assert 0.2 < time.monotonic() - started < 4
    assert [e.kind for e in batch.events] == [SubmissionEventKind.SUBMITTED]


# ---------------------------------------------------------------- faults


def test_server_errors_are_retried_for_reads_then_the_link_is_down(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, extra_photos=0)
    photo = gateway.submission(sid).photos[0]
    set_fault(sim, FaultMode.ERROR)
    with pytest.raises(GatewayUnavailable) as down:
        gateway.submission(sid)
    assert down.value.attempts == 3 and sim.hits.count("GET", f"/submissions/{sid}") == 4
    assert state_of(gateway) is LinkState.DOWN
    path = f"/submissions/{sid}/photos/{photo.photo_id}"
    with pytest.raises(GatewayUnavailable):
        gateway.photo_bytes(sid, photo.photo_id)
    assert sim.hits.count("GET", path) == 3
    with pytest.raises(GatewayUnavailable):
        gateway.poll_events(0, wait_s=0)
    sim.faults.clear()
    assert gateway.submission(sid).submission_id == sid
    assert state_of(gateway) is LinkState.UP
    assert len(gateway.photo_bytes(sid, photo.photo_id)) == photo.size


def test_a_transient_photo_error_is_ridden_out(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, extra_photos=0)
    photo = gateway.submission(sid).photos[0]
    set_fault(sim, FaultMode.ERROR, times=1)
    assert hashlib.sha256(gateway.photo_bytes(sid, photo.photo_id)).hexdigest() == photo.sha256
    assert state_of(gateway) is LinkState.DEGRADED
    gateway.photo_bytes(sid, photo.photo_id)
    assert state_of(gateway) is LinkState.UP


def test_a_keyed_review_that_timed_out_is_retried_without_recording_twice(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, case_no=CASE_NO, extra_photos=0)
    set_fault(sim, FaultMode.TIMEOUT, delay_ms=500, times=1)
    recorded = gateway.record_review(
        sid, outcome="approved", case_no=CASE_NO, reviewer_seat="R1", idempotency_key="outbox-17"
    )
    assert recorded.state is ReviewOutcome.APPROVED
    assert sim.hits.count("POST", f"/submissions/{sid}/review") == 2
    time.sleep(0.4)  # let the held first attempt finish
    assert len(sim.submissions.reviews(sid)) == 1
    # The outbox retrying later with its key gets the same answer.
    again = gateway.record_review(
        sid, outcome="approved", case_no=CASE_NO, reviewer_seat="R1", idempotency_key="outbox-17"
    )
    assert again == recorded


@pytest.mark.parametrize("kind", list(MalformedKind))
def test_malformed_answers_are_refused_not_retried_and_never_crash(
    sim: SimulatorServer, gateway: SubmissionGateway, kind: MalformedKind
) -> None:
    sid = inject(sim, case_no=CASE_NO, extra_photos=0)
    photo = gateway.submission(sid).photos[0]
    set_fault(sim, FaultMode.MALFORMED, malformed=kind)
    with pytest.raises(MalformedPayload):
        gateway.submission(sid)
    with pytest.raises(MalformedPayload):
        gateway.poll_events(0, wait_s=0)
    with pytest.raises(MalformedPayload):  # an HTML error page instead of the photo
        gateway.photo_bytes(sid, photo.photo_id)
    with pytest.raises(MalformedPayload):
        gateway.record_review(sid, outcome="approved", case_no=CASE_NO, reviewer_seat="R1")
    assert sim.hits.count("GET", f"/submissions/{sid}") == 2  # the one before the fault
    assert sim.hits.count("GET", f"/submissions/{sid}/photos/{photo.photo_id}") == 1
    assert state_of(gateway) is LinkState.DEGRADED
    assert "malformed payload" in (gateway.health.status.last_error or "")
    sim.faults.clear()
    assert gateway.submission(sid).state is SubmissionState.APPROVED
    assert state_of(gateway) is LinkState.UP


def test_timeouts_make_the_link_down_until_it_answers(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, extra_photos=0)
    set_fault(sim, FaultMode.TIMEOUT, delay_ms=1500)
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable, match="no answer in time"):
        gateway.submission(sid)
    assert time.monotonic() - started < 2.5
    assert state_of(gateway) is LinkState.DOWN
    sim.faults.clear()
    gateway.submission(sid)
    assert state_of(gateway) is LinkState.UP


# ---------------------------------------------------------------- following the log


def test_the_follower_rides_out_an_outage_and_offers_a_refused_batch_again(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    delivered: list[SubmissionEventBatch] = []
    offered = 0
    stop = threading.Event()

    def deliver(batch: SubmissionEventBatch) -> None:
        nonlocal offered
        offered += 1
        if offered == 1:
            raise RuntimeError("hall database away for a moment")
        delivered.append(batch)

    backoff = RetryPolicy(attempts=1, base_delay_s=0.02, max_delay_s=0.1)
    follower = threading.Thread(
        target=follow_submission_events,
        args=(gateway, deliver, stop),
        kwargs={"wait_s": 0.2, "backoff": backoff},
        name="test-submission-follower",
    )
    follower.start()
    try:
        first = inject(sim, extra_photos=0)
        deadline = time.monotonic() + 5
        while not delivered and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [e.submission_id for b in delivered for e in b.events] == [first]
        assert offered == 2
        set_fault(sim, FaultMode.ERROR)
        while state_of(gateway) is not LinkState.DOWN and time.monotonic() < deadline:
            time.sleep(0.02)
        assert state_of(gateway) is LinkState.DOWN
        second = inject(sim, extra_photos=0)
        sim.faults.clear()
        while len(delivered) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [e.submission_id for b in delivered for e in b.events] == [first, second]
    finally:
        stop.set()
        follower.join(5)
    assert not follower.is_alive()


def test_the_raw_answers_validate_loosely_enough_for_null_fields(
    sim: SimulatorServer, gateway: SubmissionGateway
) -> None:
    sid = inject(sim, parties=[{"id_number": None}, {}], accident_form=None, extra_photos=0,
                 place={"text": "东营区西四路", "lat": None, "lon": None})  # fmt: skip
    info = gateway.submission(sid)
    assert info.parties[0].id_number is None and info.parties[0].licence_number
    assert info.accident_form is None and info.place.lat is None
    with requests.Session() as http:
        http.trust_env = False
        raw = http.get(f"{sim.base_url}/submissions/{sid}", timeout=5).json()
    assert raw["parties"][0]["id_number"] is None
