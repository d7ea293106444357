"""The video patrol seat's tour: the wall walks through camera groups on its own, a page of
tiles at a time, while nobody is looking at anything in particular.

A group (a checkpoint, a road) with more cameras than the wall has tiles is shown as several
pages. Cameras that are offline are left out, so the wall never spends a dwell on black tiles,
and a group with no live camera is passed over. An alert pauses the tour (the officer's wall
now belongs to the incident); resuming puts back the page the tour was on.

Pure and deterministic: the caller passes the clock (`time.monotonic()` on the wall) and which
cameras are offline at each step, so a test can replay a whole morning in microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

__all__ = ["DEFAULT_DWELL_S", "Offline", "PatrolTour", "TourGroup", "TourStep"]

DEFAULT_DWELL_S: Final = 20.0

Offline: TypeAlias = Callable[[str], bool] | Collection[str] | None
"""Which cameras are down: a predicate on the camera id, a set of ids, or None for none."""


@dataclass(frozen=True, slots=True)
class TourGroup:
    name: str
    camera_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TourStep:
    """One page of the tour, as the wall shows it: up to `tiles` live cameras of one group."""

    group: str
    group_index: int  # position of the group in the tour, from 0
    page: int  # page of the group, from 0
    pages: int  # pages the group's live cameras fill right now
    camera_ids: tuple[str, ...]
    shown_at: float
    due_at: float  # when the next page is due (for a countdown on the wall)


def _predicate(offline: Offline) -> Callable[[str], bool]:
    if offline is None:
        return lambda _camera_id: False
    if callable(offline):
        return offline
    down = frozenset(offline)
    return down.__contains__


class PatrolTour:
    """Cycles through `groups` (name, camera ids), `tiles` cameras a page, `dwell_s` a page.

    Call `step(now, offline)` from the wall's timer: it returns the page to show when one is
    due (the first call always, then each time the dwell has elapsed, at once if every camera
    of the shown page went offline, and after `resume`) and None when the wall should keep
    what it shows. While paused it returns None.
    """

    def __init__(
        self,
        groups: Iterable[tuple[str, Sequence[str]]],
        *,
        tiles: int,
        dwell_s: float = DEFAULT_DWELL_S,
    ) -> None:
        if tiles < 1:
            raise ValueError(f"a tour page needs at least one tile, not {tiles}")
        if not (math.isfinite(dwell_s) and dwell_s > 0):
            raise ValueError(f"the dwell must be a positive number of seconds, not {dwell_s}")
        self.groups: tuple[TourGroup, ...] = tuple(
            TourGroup(name, tuple(ids)) for name, ids in groups
        )
        self.tiles = tiles
        self.dwell_s = float(dwell_s)
        self._current: TourStep | None = None
        self._pause_reason: str | None = None
        self._reshow = False

    # ------------------------------------------------------------ state

    @property
    def current(self) -> TourStep | None:
        """The page on the wall, if the tour has shown one."""
        return self._current

    @property
    def paused(self) -> bool:
        return self._pause_reason is not None

    @property
    def pause_reason(self) -> str | None:
        return self._pause_reason

    def pause(self, reason: str) -> None:
        """Stop walking (an alert took the wall); a second alert only updates the reason."""
        self._pause_reason = reason

    def resume(self) -> None:
        """Walk on from where the tour stopped: the next `step` shows the same group and page
        again (the wall showed the alert meanwhile) for a full dwell."""
        if self._pause_reason is None:
            return
        self._pause_reason = None
        self._reshow = self._current is not None

    # ------------------------------------------------------------ walking

    def step(self, now: float, offline: Offline = None) -> TourStep | None:
        """The page to show now, or None if the wall should keep its current one."""
        if self.paused:
            return None
        is_offline = _predicate(offline)
        current = self._current
        if current is None:
            return self._show(self._first_page(0, is_offline), now)
        if self._reshow:
            self._reshow = False
            again = self._page(current.group_index, current.page, is_offline)
            return self._show(again or self._next_page(current, is_offline), now, force=True)
        all_down = all(is_offline(camera_id) for camera_id in current.camera_ids)
        if now - current.shown_at < self.dwell_s and not all_down:
            return None
        return self._show(self._next_page(current, is_offline), now)

    def advance(self, now: float, offline: Offline = None) -> TourStep | None:
        """Go to the next page at once (the officer pressed "next"); None while paused or when
        nothing else is live."""
        if self.paused:
            return None
        is_offline = _predicate(offline)
        current = self._current
        if current is None:
            return self._show(self._first_page(0, is_offline), now)
        return self._show(self._next_page(current, is_offline), now)

    # ------------------------------------------------------------ internals

    def _show(self, page: TourStep | None, now: float, *, force: bool = False) -> TourStep | None:
        """Put `page` on the wall from `now`; None if it is what the wall already shows."""
        if page is None:
            # Nothing live anywhere: keep the last page (its tiles say "offline") and look
            # again at the next step.
            return None
        shown = TourStep(
            page.group,
            page.group_index,
            page.page,
            page.pages,
            page.camera_ids,
            shown_at=now,
            due_at=now + self.dwell_s,
        )
        previous, self._current = self._current, shown
        if not force and previous is not None and _same_page(previous, shown):
            return None
        return shown

    def _live(self, group_index: int, is_offline: Callable[[str], bool]) -> list[str]:
        return [c for c in self.groups[group_index].camera_ids if not is_offline(c)]

    def _page(
        self, group_index: int, page: int, is_offline: Callable[[str], bool]
    ) -> TourStep | None:
        """Page `page` of the group's live cameras, or None if the group has no such page."""
        live = self._live(group_index, is_offline)
        pages = math.ceil(len(live) / self.tiles)
        if page >= pages:
            return None
        chunk = tuple(live[page * self.tiles : (page + 1) * self.tiles])
        name = self.groups[group_index].name
        return TourStep(name, group_index, page, pages, chunk, shown_at=0.0, due_at=0.0)

    def _first_page(self, start: int, is_offline: Callable[[str], bool]) -> TourStep | None:
        """The first page of the first group from `start` on (wrapping) with a live camera."""
        count = len(self.groups)
        for offset in range(count):
            page = self._page((start + offset) % count, 0, is_offline)
            if page is not None:
                return page
        return None

    def _next_page(self, current: TourStep, is_offline: Callable[[str], bool]) -> TourStep | None:
        following = self._page(current.group_index, current.page + 1, is_offline)
        if following is not None:
            return following
        return self._first_page((current.group_index + 1) % len(self.groups), is_offline)


def _same_page(a: TourStep, b: TourStep) -> bool:
    return (a.group_index, a.page, a.camera_ids) == (b.group_index, b.page, b.camera_ids)
