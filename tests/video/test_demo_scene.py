"""The synthetic traffic camera: deterministic, the size asked for, traffic that never drives
through itself, and a collision that shows up once per cycle."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from console.video.demo_scene import LANES, DemoScene


def test_same_seed_and_time_give_the_same_picture() -> None:
    a = DemoScene("CAM-1", seed=7)
    b = DemoScene("CAM-1", seed=7)
    for t in (0.0, 3.2, 17.04, 59.96, 61.5):
        assert np.array_equal(a.render(t), b.render(t))
    assert not np.array_equal(a.render(5.0), DemoScene("CAM-1", seed=8).render(5.0))


def test_picture_is_bgr_of_the_size_asked_for_and_moves() -> None:
    scene = DemoScene("CAM-1", width=320, height=180, seed=1)
    frame = scene.render(4.0)
    assert frame.shape == (180, 320, 3)
    assert frame.dtype == np.uint8
    later = scene.render(4.04)
    changed = np.any(frame != later, axis=2)
    assert changed.mean() > 0.001  # vehicles moved one frame's worth


def test_clock_is_burned_in_and_follows_the_stamp() -> None:
    scene = DemoScene("CAM-1", seed=1)
    a = scene.render(1.0, stamp=1_800_000_000.0)
    b = scene.render(1.0, stamp=1_800_000_001.0)
    differs = np.any(a != b, axis=2)
    ys, xs = np.nonzero(differs)
    assert ys.size > 0
    assert int(np.max(ys)) < scene.height * 0.1  # only the caption bar at the top changed
    assert int(np.max(xs)) < scene.width * 0.55


def test_non_ascii_label_is_dropped_not_mangled() -> None:
    assert DemoScene("G15 卡口 K123", seed=1).label == "G15  K123"


CYCLES = [(seed, 60.0, 18.0) for seed in range(8)] + [(seed, 30.0, 9.0) for seed in range(8)]


@pytest.mark.parametrize(("seed", "cycle_s", "hold_s"), CYCLES)
def test_vehicles_in_a_lane_never_overlap(seed: int, cycle_s: float, hold_s: float) -> None:
    """The queue rule keeps every car behind the one in front, through a whole cycle and
    across the seam where the previous cycle's last cars are still on the road."""
    scene = DemoScene(seed=seed, crash_every_s=cycle_s, crash_hold_s=hold_s)
    period = scene.cycle_s
    for lane in range(LANES):
        own = sorted((v for v in scene._vehicles if v.lane == lane and not v.role),
                     key=lambda v: v.spawn)  # fmt: skip
        # (vehicle, shift): the previous cycle's copy is the same trip, `period` earlier.
        trips = [(v, period) for v in own] + [(v, 0.0) for v in own]
        for step in range(int(period * 10)):
            t = step / 10
            on_road = [(v, shift) for v, shift in trips if v.spawn <= t + shift]
            for (ahead, s1), (behind, s2) in itertools.pairwise(on_road):
                gap = ahead.u(t + s1) - ahead.length - behind.u(t + s2)
                assert gap >= -0.5, (lane, t, ahead, behind)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_one_collision_per_cycle_that_stops_traffic_for_a_while(seed: int) -> None:
    scene = DemoScene(seed=seed, crash_every_s=60, crash_hold_s=15)
    crash = scene.crash
    assert crash is not None
    assert crash.end_s - crash.start_s == pytest.approx(15)
    assert scene.crash_visible(crash.start_s + 1)
    assert scene.crash_visible(crash.start_s + 1 + scene.cycle_s)  # next cycle too
    assert not scene.crash_visible(crash.end_s + 1)
    # The two wrecked cars stand still while the crash is on the road ...
    wreck = [v for v in scene._vehicles if v.role]
    assert sorted(v.role for v in wreck) == ["striker", "struck"]
    for v in wreck:
        assert v.u(crash.start_s + 2) == v.u(crash.end_s - 0.1)
    # ... and traffic in both lanes queues behind them until the road is cleared.
    mid = (crash.start_s + crash.end_s) / 2
    queued = [v for v in scene._vehicles if not v.role and v.release is not None]
    assert {v.lane for v in queued} == set(crash.lanes)
    assert any(v.u(mid) == v.u(mid + 1) for v in queued)
    assert all(v.u(v.release + 1) > v.u(v.release) for v in queued if v.release is not None)


def test_free_flowing_scene_has_no_crash() -> None:
    scene = DemoScene(seed=3, crash_every_s=None)
    assert scene.crash is None
    assert not any(scene.crash_visible(t) for t in range(0, 120, 5))


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        DemoScene(width=100, height=50)
    with pytest.raises(ValueError, match="crash_every_s"):
        DemoScene(crash_every_s=10)
