"""What the request form starts from (`rescue_draft`), what the situation map shows
(`situation`), and where a unit stands once it is on scene; on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from console.db.models import Camera, Case, Party, RescueUnit, Vehicle
from console.domain.lifecycle import CaseState
from console.domain.rescue import UnitState
from console.hall.errors import NotFound, PermissionDenied
from console.hall.rescue import assign_nearest, rescue_draft, set_unit_state
from console.hall.situation import situation
from tests.hall.conftest import bulk_cases
from tests.hall.test_rescue import NOW, PLACE, Rescue, a_case, ask, rescue

__all__ = ["rescue"]


def _place(r: Rescue, case_id: int, lat: float | None, lon: float | None) -> None:
    with r.sf() as session, session.begin():
        session.execute(update(Case).where(Case.id == case_id).values(lat=lat, lon=lon))


def _camera(camera_id: str, name: str, *, active: bool) -> Camera:
    return Camera(
        id=camera_id,
        name=name,
        district="东营区",
        road="府前大街",
        direction="东向西",
        lat=PLACE[0],
        lon=PLACE[1],
        group_path="东营区",
        main_url="rtsp://127.0.0.1/x",
        active=active,
    )


def test_the_draft_carries_the_case_place_and_each_vehicle_with_its_type(rescue: Rescue) -> None:
    case_id = a_case(rescue)
    _place(rescue, case_id, *PLACE)
    with rescue.sf() as session, session.begin():
        car = Vehicle(plate_type="02", plate_no="鲁E12345", vehicle_type="小型轿车")
        session.add(car)
        session.flush()
        session.add_all(
            [
                Party(case_id=case_id, letter="B", name="陈二", plate_no="鲁E67890"),
                Party(
                    case_id=case_id, letter="A", name="刘一", plate_no="鲁E12345", vehicle_id=car.id
                ),
            ]
        )

    draft = rescue_draft(rescue.sf, rescue["reception"], case_id)

    assert draft.place_text == "东营区府前大街与西四路路口"
    assert (draft.lat, draft.lon) == PLACE
    assert draft.vehicles == "鲁E12345 小型轿车；鲁E67890"  # party A first, B without a type
    assert draft.open_task_id is None
    task_id = ask(rescue, case_id)
    assert rescue_draft(rescue.sf, rescue["reception"], case_id).open_task_id == task_id


def test_a_draft_is_refused_to_a_seat_that_may_not_ask_and_for_a_missing_case(
    rescue: Rescue,
) -> None:
    case_id = a_case(rescue)
    with pytest.raises(PermissionDenied):
        rescue_draft(rescue.sf, rescue["officer"], case_id)
    with pytest.raises(NotFound):
        rescue_draft(rescue.sf, rescue["reception"], case_id + 1000)


def test_the_map_shows_open_cases_with_a_place_marks_those_waiting_and_lists_cameras(
    rescue: Rescue,
) -> None:
    waiting, calm, closed, nowhere = bulk_cases(rescue.sf, 4, CaseState.ESCALATED, start=10)
    for case_id in (waiting, calm, closed):
        _place(rescue, case_id, *PLACE)
    with rescue.sf() as session, session.begin():
        session.execute(update(Case).where(Case.id == closed).values(state=CaseState.CLOSED.value))
        session.add_all(
            [
                _camera("C1", "府前大街卡口", active=True),
                _camera("C2", "已停用卡口", active=False),
            ]
        )
    ask(rescue, waiting)

    seen = situation(rescue.sf, rescue["rescue"])

    assert {c.id: c.waiting_rescue for c in seen.cases} == {waiting: True, calm: False}
    assert [c.id for c in seen.cameras] == ["C1"]
    assert not seen.cases_cut
    assert nowhere not in {c.id for c in seen.cases}


def test_the_map_keeps_the_newest_cases_when_there_are_too_many(rescue: Rescue) -> None:
    ids = bulk_cases(rescue.sf, 5, CaseState.ESCALATED, start=20)
    for case_id in ids:
        _place(rescue, case_id, *PLACE)

    seen = situation(rescue.sf, rescue["rescue"], max_cases=3)

    assert [c.id for c in seen.cases] == sorted(ids, reverse=True)[:3]
    assert seen.cases_cut


def test_an_insurer_sees_no_situation(rescue: Rescue) -> None:
    with pytest.raises(PermissionDenied):
        situation(rescue.sf, rescue["claims"])


def test_a_unit_on_scene_without_a_gps_report_stands_at_the_request(rescue: Rescue) -> None:
    task_id = ask(rescue, a_case(rescue), lat=PLACE[0] + 0.01)
    sent = assign_nearest(rescue.sf, rescue["rescue"], task_id, now=NOW)
    set_unit_state(rescue.sf, rescue["rescue"], sent.unit_id, UnitState.EN_ROUTE, now=NOW)

    set_unit_state(rescue.sf, rescue["rescue"], sent.unit_id, UnitState.ON_SCENE, now=NOW)

    with rescue.sf() as session:
        unit = session.get(RescueUnit, sent.unit_id)
        assert unit is not None
        assert (unit.lat, unit.lon) == (PLACE[0] + 0.01, PLACE[1])
