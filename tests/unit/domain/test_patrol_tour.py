"""The patrol tour: pages of live cameras, group after group, a dwell each, paused by alerts."""

from __future__ import annotations

import pytest

from console.domain.patrol_tour import PatrolTour, TourStep

GROUPS = [
    ("西四路南一路卡口", ["a1", "a2", "a3"]),
    ("府前大街东三路卡口", ["b1", "b2", "b3", "b4", "b5"]),
    ("黄河路东二路卡口", ["c1"]),
]


def shown(step: TourStep | None) -> tuple[str, int, tuple[str, ...]]:
    assert step is not None
    return step.group, step.page, step.camera_ids


def test_the_first_step_shows_the_first_group_at_once() -> None:
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=20)
    first = tour.step(100.0)
    assert shown(first) == ("西四路南一路卡口", 0, ("a1", "a2", "a3"))
    assert first is not None
    assert (first.shown_at, first.due_at, first.pages, first.group_index) == (100.0, 120.0, 1, 0)
    assert tour.current == first


def test_the_dwell_is_respected() -> None:
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=20)
    tour.step(0.0)
    assert tour.step(5.0) is None
    assert tour.step(19.999) is None
    assert shown(tour.step(20.0))[0] == "府前大街东三路卡口"
    assert tour.step(39.9) is None  # the dwell counts from when the page was shown
    assert tour.step(40.0) is not None


def test_a_late_timer_does_not_skip_pages() -> None:
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=20)
    tour.step(0.0)
    # The GUI was busy for a minute: one page further, not three.
    assert shown(tour.step(60.0))[:2] == ("府前大街东三路卡口", 0)


def test_groups_larger_than_the_wall_are_split_into_pages() -> None:
    tour = PatrolTour(GROUPS, tiles=2, dwell_s=10)
    pages = [shown(tour.step(t)) for t in (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0)]
    assert pages == [
        ("西四路南一路卡口", 0, ("a1", "a2")),
        ("西四路南一路卡口", 1, ("a3",)),
        ("府前大街东三路卡口", 0, ("b1", "b2")),
        ("府前大街东三路卡口", 1, ("b3", "b4")),
        ("府前大街东三路卡口", 2, ("b5",)),
        ("黄河路东二路卡口", 0, ("c1",)),
        ("西四路南一路卡口", 0, ("a1", "a2")),  # and round again
        ("西四路南一路卡口", 1, ("a3",)),
    ]
    assert tour.current is not None and tour.current.pages == 2


def test_offline_cameras_are_skipped() -> None:
    tour = PatrolTour(GROUPS, tiles=2, dwell_s=10)
    assert shown(tour.step(0.0, {"a2"})) == ("西四路南一路卡口", 0, ("a1", "a3"))
    # With a2 down the group fits one page, so the tour moves on to the next group.
    assert shown(tour.step(10.0, lambda c: c in {"a2", "b1", "b4"})) == (
        "府前大街东三路卡口",
        0,
        ("b2", "b3"),
    )
    assert shown(tour.step(20.0, {"b1", "b4"})) == ("府前大街东三路卡口", 1, ("b5",))


def test_a_group_with_no_live_camera_is_passed_over() -> None:
    tour = PatrolTour(GROUPS, tiles=8, dwell_s=10)
    offline = {"b1", "b2", "b3", "b4", "b5"}
    tour.step(0.0, offline)
    assert shown(tour.step(10.0, offline))[0] == "黄河路东二路卡口"
    assert shown(tour.step(20.0, offline))[0] == "西四路南一路卡口"


def test_an_empty_group_is_passed_over() -> None:
    tour = PatrolTour([("空卡口", []), *GROUPS], tiles=8, dwell_s=10)
    assert shown(tour.step(0.0))[0] == "西四路南一路卡口"


def test_when_every_camera_of_the_page_goes_down_the_tour_moves_on_at_once() -> None:
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=20)
    tour.step(0.0)
    assert shown(tour.step(3.0, {"a1", "a2", "a3"}))[0] == "府前大街东三路卡口"


def test_with_everything_offline_the_wall_keeps_its_page_and_looks_again() -> None:
    every = {c for _, ids in GROUPS for c in ids}
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=20)
    assert tour.step(0.0, every) is None
    assert tour.current is None
    first = tour.step(1.0, every - {"c1"})
    assert shown(first)[0] == "黄河路东二路卡口"
    assert tour.step(30.0, every) is None
    assert tour.current is not None and tour.current.group == "黄河路东二路卡口"
    assert shown(tour.step(31.0, set()))[0] == "西四路南一路卡口"


def test_a_single_page_tour_changes_nothing_after_the_dwell() -> None:
    tour = PatrolTour([("only", ["x1", "x2"])], tiles=4, dwell_s=10)
    tour.step(0.0)
    assert tour.step(10.0) is None  # the same page again: the wall keeps it
    assert tour.current is not None and tour.current.shown_at == 10.0


def test_pause_and_resume_keep_the_position() -> None:
    tour = PatrolTour(GROUPS, tiles=2, dwell_s=10)
    tour.step(0.0)
    before = tour.step(10.0)  # page 2 of the first group
    tour.pause("alert: crash at 西四路南一路卡口")
    assert tour.paused
    assert tour.pause_reason == "alert: crash at 西四路南一路卡口"
    assert tour.step(25.0) is None
    assert tour.advance(26.0) is None
    assert tour.step(500.0) is None
    tour.resume()
    assert not tour.paused
    again = tour.step(600.0)  # the page the tour was on comes back, for a full dwell
    assert shown(again) == shown(before)
    assert again is not None and again.due_at == 610.0
    assert tour.step(605.0) is None
    assert shown(tour.step(610.0))[0] == "府前大街东三路卡口"


def test_a_second_alert_updates_the_reason_and_resume_when_not_paused_is_harmless() -> None:
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=10)
    tour.resume()
    assert shown(tour.step(0.0))[0] == "西四路南一路卡口"
    tour.pause("first")
    tour.pause("second")
    assert tour.pause_reason == "second"
    tour.resume()
    assert tour.pause_reason is None


def test_advance_goes_to_the_next_page_without_waiting() -> None:
    tour = PatrolTour(GROUPS, tiles=4, dwell_s=60)
    assert shown(tour.advance(0.0))[0] == "西四路南一路卡口"
    assert shown(tour.advance(1.0))[0] == "府前大街东三路卡口"
    assert tour.step(30.0) is None  # the new page has its full dwell


def test_a_tour_without_groups_shows_nothing() -> None:
    tour = PatrolTour([], tiles=4)
    assert tour.step(0.0) is None
    assert tour.advance(1.0) is None


@pytest.mark.parametrize(
    ("tiles", "dwell"), [(0, 10.0), (4, 0.0), (4, -1.0), (4, float("nan")), (4, float("inf"))]
)
def test_bad_settings_are_refused(tiles: int, dwell: float) -> None:
    with pytest.raises(ValueError, match=r"tile|dwell"):
        PatrolTour(GROUPS, tiles=tiles, dwell_s=dwell)


def test_the_same_inputs_give_the_same_tour() -> None:
    def replay() -> list[TourStep | None]:
        tour = PatrolTour(GROUPS, tiles=3, dwell_s=7)
        offline = [set(), {"a1"}, {"b2", "b3"}, set(), {"c1"}, set()]
        return [tour.step(t * 3.5, offline[t % len(offline)]) for t in range(40)]

    assert replay() == replay()
