"""Synthetic traffic cameras for the demo desk and for tests: no footage ships with the program.

A `DemoScene` draws an overhead view of a four-lane road with traffic in both directions and,
once per cycle, a collision: a car drifts out of its lane into its neighbour, both stop with
hazard lights flashing, the lanes behind them queue up, and after a while the wreck is cleared
and the queue drains. What the scene shows is a pure function of the seed and the scene time,
so a test can ask for frame 1234 and always get the same picture.

It has to be cheap: sixteen of these run at 25 fps next to the decoders on a two-core desk.
Everything static (road, markings, verges, the camera name) is drawn once into a background;
vehicles are pre-drawn sprites copied through a mask; the clock text is re-drawn once a second.
Per frame that leaves one background copy and a dozen small slice copies: about 0.3 ms of
CPU at 640x360 on the reference two-core desk.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Final, cast

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

LANES: Final = 4  # lanes 0-1 run right to left, lanes 2-3 left to right
_QUEUE_GAP: Final = 0.35  # queued cars stand this many car widths apart
_RELEASE_STEP_S: Final = 0.7  # the queue moves off one car after another
_SWERVE_S: Final = 0.8  # how long the colliding car takes to drift across
_FONT: Final = cv2.FONT_HERSHEY_SIMPLEX
_EPOCH_DEFAULT: Final = 1_767_225_600.0  # 2026-01-01 00:00 UTC: a fixed clock for tests

# Body colours (BGR) of ordinary traffic: mostly white, grey, black and silver, as on a real road.
_COLOURS: Final = (
    (235, 235, 235),
    (200, 200, 200),
    (40, 40, 40),
    (150, 150, 155),
    (60, 60, 170),
    (150, 90, 30),
    (60, 130, 200),
    (90, 120, 60),
)


@dataclass(frozen=True, slots=True)
class _Kind:
    length: float  # share of a lane's height
    width: float  # share of a lane's height
    name: str


_KINDS: Final = (
    _Kind(1.05, 0.52, "car"),
    _Kind(1.15, 0.56, "suv"),
    _Kind(1.4, 0.6, "van"),
    _Kind(2.3, 0.7, "bus"),
)
_KIND_WEIGHTS: Final = (0.55, 0.25, 0.12, 0.08)


@dataclass(frozen=True, slots=True)
class _Vehicle:
    """One vehicle's whole trip through the picture, in cycle time.

    `u` is how far its front has come from the edge where it enters. A free vehicle has
    u = speed·(t − spawn). A queued one also waits at `stop_u` until `release`:
    u = min(speed·(t − spawn), max(stop_u, stop_u + speed·(t − release))) — this never lets
    it catch up with the one in front, since both obey the same rule with earlier numbers.
    """

    lane: int
    spawn: float
    sprite: int
    length: float
    speed: float
    stop_u: float = 0.0
    release: float | None = None
    role: str = ""  # "" for traffic, "struck" or "striker" for the two in the collision

    def u(self, t: float) -> float:
        free = self.speed * (t - self.spawn)
        if self.release is None:
            return free
        return min(free, max(self.stop_u, self.stop_u + self.speed * (t - self.release)))


@dataclass(frozen=True, slots=True)
class CrashWindow:
    """When, in scene seconds within one cycle, the wreck is on the road."""

    start_s: float
    end_s: float
    lanes: tuple[int, int]


class DemoScene:
    """A seeded synthetic traffic camera. `render(t)` gives the BGR picture at scene time t.

    `crash_every_s` is the length of one cycle (the scene repeats after it) and the time
    between collisions; None gives free-flowing traffic only. `label` is burned into the
    picture with OpenCV's Hershey font, which has ASCII only (other characters are dropped;
    the camera wall prints the proper name itself).
    """

    def __init__(
        self,
        label: str = "DEMO",
        *,
        width: int = 640,
        height: int = 360,
        seed: int = 0,
        crash_every_s: float | None = 60.0,
        crash_hold_s: float = 18.0,
        epoch: float = _EPOCH_DEFAULT,
    ) -> None:
        if width < 160 or height < 90:
            raise ValueError("a demo scene needs at least 160x90 pixels")
        if crash_every_s is not None and crash_every_s < 30:
            raise ValueError("crash_every_s must be at least 30 s")
        self.width = width
        self.height = height
        self.seed = seed
        self.epoch = epoch
        self.label = label.encode("ascii", "ignore").decode("ascii")
        self.cycle_s = float(crash_every_s) if crash_every_s else 120.0
        if crash_every_s is not None and not 5.0 <= crash_hold_s <= 0.3 * self.cycle_s:
            raise ValueError("crash_hold_s must be between 5 s and 30 % of crash_every_s")
        rng = random.Random(seed)
        self._road_top = round(height * 0.22)
        self._road_bottom = round(height * 0.88)
        self._lane_h = (self._road_bottom - self._road_top) / LANES
        # Lane speeds in px/s: the outer lanes are slower; a car crosses in 3-6 s.
        fast, slow = width * rng.uniform(0.24, 0.3), width * rng.uniform(0.15, 0.2)
        self._speeds = (slow, fast, fast * rng.uniform(0.9, 1.0), slow * rng.uniform(0.9, 1.1))
        self._sprites = [
            _draw_vehicle_sprite(kind, colour, self._lane_h)
            for kind in _KINDS
            for colour in _COLOURS
        ]
        self._rotated: dict[tuple[int, int], tuple[Image, npt.NDArray[np.bool_]]] = {}
        self._clock_bar = (0, 0)  # caption bar height and width, set with the background
        self._background = self._make_background(rng)
        self.crash: CrashWindow | None = None
        self._vehicles = self._schedule(rng, crash_every_s is not None, crash_hold_s)
        self._debris = [
            (rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5), rng.randint(1, 2)) for _ in range(9)
        ]
        self._enter = np.array([self._enter_time(v) for v in self._vehicles])
        self._leave = np.array([self._leave_time(v) for v in self._vehicles])
        self._clock_second = -1
        self._clock_patch: Image | None = None

    # ------------------------------------------------------------ public

    def render(self, t: float, *, stamp: float | None = None) -> Image:
        """The picture at scene time `t` (seconds), a new HxWx3 BGR array.

        The clock burned in shows `stamp` (Unix seconds, local time) or, by default,
        `epoch + t`, which keeps the whole picture a function of `t`.
        """
        frame = self._background.copy()
        local_t = t % self.cycle_s
        crash = self.crash
        wreck_on_road = crash is not None and crash.start_s <= local_t < crash.end_s
        if wreck_on_road and crash is not None:
            self._draw_wreck_extras(frame, local_t, crash)
        for cycle_t in (local_t, local_t + self.cycle_s):
            visible = np.flatnonzero((self._enter <= cycle_t) & (cycle_t < self._leave))
            for index in visible:
                self._draw_vehicle(frame, self._vehicles[index], cycle_t)
        self._draw_clock(frame, self.epoch + t if stamp is None else stamp)
        return frame

    def crash_visible(self, t: float) -> bool:
        """Whether the collision is on the road at scene time `t` (for detection tests)."""
        crash = self.crash
        return crash is not None and crash.start_s <= t % self.cycle_s < crash.end_s

    # ------------------------------------------------------------ geometry

    def _lane_dir(self, lane: int) -> int:
        return -1 if lane < LANES // 2 else 1

    def _lane_y(self, lane: int) -> float:
        return self._road_top + (lane + 0.5) * self._lane_h

    def _x_of(self, lane: int, u: float, length: float) -> float:
        """Left edge of a vehicle whose front has come `u` px into the picture."""
        if self._lane_dir(lane) > 0:
            return u - length
        return self.width - u

    def _enter_time(self, v: _Vehicle) -> float:
        return v.spawn

    def _leave_time(self, v: _Vehicle) -> float:
        if v.role:  # the wreck is towed away when the crash window ends
            assert self.crash is not None
            return self.crash.end_s
        far = self.width + v.length
        if v.release is None:
            return v.spawn + far / v.speed
        if far <= v.stop_u:
            return v.spawn + far / v.speed
        return max(v.spawn + far / v.speed, v.release + (far - v.stop_u) / v.speed)

    # ------------------------------------------------------------ traffic plan

    def _schedule(self, rng: random.Random, crashes: bool, hold_s: float) -> list[_Vehicle]:
        """Every vehicle of one cycle, with the collision and its queues worked in."""
        lane_h = self._lane_h
        gap = _QUEUE_GAP * lane_h
        spawns: list[list[tuple[float, int]]] = []
        for lane in range(LANES):
            speed = self._speeds[lane]
            row: list[tuple[float, int]] = []
            t = rng.uniform(0.0, 2.0)
            last_len = 0.0
            while True:
                sprite = self._pick_sprite(rng)
                length = self._sprites[sprite][0].shape[1]
                t += (last_len + gap * 2) / speed + rng.expovariate(1 / 1.6)
                # Leave room at the end of the cycle for the first car of the next one.
                if t > self.cycle_s - (length + gap * 2) / speed - 2.0:
                    break
                row.append((t, sprite))
                last_len = length
            spawns.append(row)
        if not crashes:
            return [
                _Vehicle(lane, s, sp, self._sprites[sp][0].shape[1], self._speeds[lane])
                for lane in range(LANES)
                for s, sp in spawns[lane]
            ]

        # The collision: in one direction, the car in lane `b` drifts into lane `a`.
        forward = rng.random() < 0.5
        a, b = (2, 3) if forward else (1, 0)
        if rng.random() < 0.5:
            a, b = b, a
        crash_t = self.cycle_s * rng.uniform(0.12, 0.3)
        self.crash = CrashWindow(crash_t, crash_t + hold_s, (a, b))
        crash_u = self.width * rng.uniform(0.5, 0.62)
        struck_sprite, striker_sprite = (
            self._pick_sprite(rng, car=True),
            self._pick_sprite(rng, car=True),
        )
        len_a = self._sprites[struck_sprite][0].shape[1]
        len_b = self._sprites[striker_sprite][0].shape[1]
        hit_u = crash_u - 0.5 * len_a  # the striker's nose meets the struck car's rear quarter
        s_a = crash_t - crash_u / self._speeds[a]
        s_b = crash_t - hit_u / self._speeds[b]
        block_u = hit_u - len_b - 2.1 * lane_h  # queues in both lanes stop behind the triangle
        vehicles: list[_Vehicle] = []
        for lane in range(LANES):
            speed = self._speeds[lane]
            row = spawns[lane]
            actor: tuple[float, int, str] | None = None
            if lane == a:
                actor = (s_a, struck_sprite, "struck")
            elif lane == b:
                actor = (s_b, striker_sprite, "striker")
            if actor is None:
                vehicles += [
                    _Vehicle(lane, s, sp, self._sprites[sp][0].shape[1], speed) for s, sp in row
                ]
                continue
            s_actor, sprite_actor, role = actor
            len_actor = self._sprites[sprite_actor][0].shape[1]
            # Keep clear of the inserted car: nobody right in front, nobody close behind
            # (the one behind the struck car must also leave room for the striker's drift).
            behind = (len_actor + len_b + 3 * gap) / speed + _SWERVE_S
            row = [
                (s, sp)
                for s, sp in row
                if not (
                    s_actor - (self._sprites[sp][0].shape[1] + gap * 2) / speed
                    < s
                    < s_actor + behind
                )
            ]
            stop_u = crash_u if role == "struck" else hit_u
            vehicles.append(
                _Vehicle(lane, s_actor, sprite_actor, len_actor, speed, stop_u, math.inf, role)
            )
            slot_u = block_u
            release = self.crash.end_s + _RELEASE_STEP_S
            queuing = True
            for s, sp in row:
                length = self._sprites[sp][0].shape[1]
                if s < s_actor or not queuing or s >= release - slot_u / speed:
                    # Ahead of the wreck, or arriving after the queue has gone: free.
                    if s > s_actor:
                        queuing = False
                    vehicles.append(_Vehicle(lane, s, sp, length, speed))
                    continue
                if slot_u < 0:
                    # It would queue out of sight: it left the road upstream. Leaving it out
                    # keeps the queue, and the cycle, short.
                    continue
                vehicles.append(_Vehicle(lane, s, sp, length, speed, slot_u, release))
                slot_u -= length + gap
                release += _RELEASE_STEP_S
        return vehicles

    # ------------------------------------------------------------ drawing

    def _pick_sprite(self, rng: random.Random, *, car: bool = False) -> int:
        kinds = len(_KINDS)
        kind = 0 if car else rng.choices(range(kinds), _KIND_WEIGHTS)[0]
        return kind * len(_COLOURS) + rng.randrange(len(_COLOURS))

    def _make_background(self, rng: random.Random) -> Image:
        w, h = self.width, self.height
        top, bottom, lane_h = self._road_top, self._road_bottom, self._lane_h
        gen = np.random.default_rng(rng.randrange(2**32))
        grass = gen.normal(0, 9, (h, w, 1)) + np.array([70, 125, 85])
        image = np.clip(grass, 0, 255).astype(np.uint8)
        for _ in range(max(6, w // 60)):  # bushes on the verges
            cx = int(gen.integers(0, w))
            cy = int(gen.integers(0, top)) if gen.random() < 0.5 else int(gen.integers(bottom, h))
            r = int(gen.integers(max(4, h // 60), max(6, h // 22)))
            cv2.circle(image, (cx, cy), r, (40, 95, 50), -1, cv2.LINE_AA)
            cv2.circle(image, (cx - r // 3, cy - r // 3), r // 2, (60, 120, 70), -1, cv2.LINE_AA)
        kerb = max(2, round(h * 0.012))
        cv2.rectangle(image, (0, top - kerb), (w, bottom + kerb), (170, 170, 170), -1)
        asphalt = gen.normal(0, 4, (bottom - top, w, 1)) + np.array([78, 80, 82])
        image[top:bottom] = np.clip(asphalt, 0, 255).astype(np.uint8)
        line = max(1, round(h / 180))
        for y in (top + line * 2, bottom - line * 2):  # solid edge lines
            cv2.line(image, (0, y), (w, y), (225, 225, 225), line, cv2.LINE_AA)
        mid = round(top + 2 * lane_h)
        for dy in (-line - 1, line + 1):  # double yellow centre line
            cv2.line(image, (0, mid + dy), (w, mid + dy), (40, 190, 230), line, cv2.LINE_AA)
        dash, space = max(8, w // 28), max(8, w // 22)
        for lane_line in (1, 3):  # dashed lane dividers
            y = round(top + lane_line * lane_h)
            for x in range(-dash // 2, w, dash + space):
                cv2.line(image, (x, y), (x + dash, y), (225, 225, 225), line, cv2.LINE_AA)
        for x in range(w // 8, w, w // 2):  # shadows of the sign gantries
            cv2.rectangle(image, (x, top), (x + max(2, w // 160), bottom), (60, 62, 64), -1)
        # Caption bars for the clock (top left) and the camera name (bottom left).
        scale = h / 480
        bar_h = max(14, round(30 * scale))
        cv2.rectangle(image, (0, 0), (round(w * 0.52), bar_h), (20, 20, 20), -1)
        if self.label:
            (tw, th), _ = cv2.getTextSize(self.label, _FONT, 0.7 * scale, 1)
            cv2.rectangle(image, (0, h - bar_h), (tw + 12, h), (20, 20, 20), -1)
            cv2.putText(
                image,
                self.label,
                (6, h - (bar_h - th) // 2),
                _FONT,
                0.7 * scale,
                (255, 255, 255),
                max(1, round(2 * scale)),
                cv2.LINE_AA,
            )
        self._clock_bar = (bar_h, round(w * 0.52))
        return cast(Image, image)

    def _draw_vehicle(self, frame: Image, v: _Vehicle, t: float) -> None:
        lane, direction = v.lane, self._lane_dir(v.lane)
        u = v.u(t)
        y = self._lane_y(lane)
        angle = 0
        if v.role and self.crash is not None:
            crash = self.crash
            a, b = crash.lanes
            up = self._lane_y(a) < self._lane_y(b)  # the striker drifts towards lane a
            into = (self._lane_y(a) - self._lane_y(b)) * 0.62
            if v.role == "striker":
                drift = min(1.0, max(0.0, (t - (crash.start_s - _SWERVE_S)) / _SWERVE_S))
                y += into * drift
                if drift > 0:
                    angle = (12 if drift < 1 else 22) * direction * (1 if up else -1)
            elif t >= crash.start_s:  # the struck car is shoved round a little
                angle = -7 * direction * (1 if up else -1)
                y -= into * 0.08
        sprite, mask = self._sprite(v.sprite, direction, angle)
        sh, sw = mask.shape
        x0 = round(self._x_of(lane, u, v.length) + (v.length - sw) / 2)
        y0 = round(y - sh / 2)
        _blit(frame, sprite, mask, x0, y0)
        if v.role and self.crash is not None and t >= self.crash.start_s and int(t * 2.5) % 2:
            # Hazard lights: all four corners blink amber.
            cx, cy = x0 + sw / 2, y0 + sh / 2
            r = max(1, round(self._lane_h * 0.07))
            for dx in (-0.4, 0.4):
                for dy in (-0.28, 0.28):
                    point = (round(cx + dx * v.length), round(cy + dy * sh))
                    cv2.circle(frame, point, r, (0, 190, 255), -1)

    def _draw_wreck_extras(self, frame: Image, t: float, crash: CrashWindow) -> None:
        a, b = crash.lanes
        direction = self._lane_dir(a)
        striker = next(v for v in self._vehicles if v.role == "striker")
        u = striker.stop_u
        x = self._x_of(a, u, 0)
        y = (self._lane_y(a) + self._lane_y(b)) / 2
        spread = self._lane_h
        for dx, dy, r in self._debris:  # glass and plastic on the road
            point = (round(x + dx * spread), round(y + dy * spread))
            cv2.circle(frame, point, r, (215, 225, 230), -1)
        if t >= crash.start_s + 3.0:  # a warning triangle set out behind the wreck
            tx = x - direction * (striker.length + 1.6 * self._lane_h)
            size = self._lane_h * 0.22
            pts = np.array(
                [(tx, y - size), (tx - size, y + size * 0.8), (tx + size, y + size * 0.8)],
                dtype=np.int32,
            )
            cv2.polylines(frame, [pts], True, (30, 30, 220), max(1, round(size / 4)))

    def _draw_clock(self, frame: Image, stamp: float) -> None:
        second = math.floor(stamp)
        if second != self._clock_second or self._clock_patch is None:
            bar_h, bar_w = self._clock_bar
            patch = np.full((bar_h, bar_w, 3), 20, np.uint8)
            text = datetime.fromtimestamp(second).strftime("%Y-%m-%d %H:%M:%S")
            scale = self.height / 480
            cv2.putText(
                patch,
                text,
                (6, bar_h - max(3, round(8 * scale))),
                _FONT,
                0.75 * scale,
                (255, 255, 255),
                max(1, round(2 * scale)),
                cv2.LINE_AA,
            )
            self._clock_patch, self._clock_second = patch, second
        patch = self._clock_patch
        frame[: patch.shape[0], : patch.shape[1]] = patch

    def _sprite(
        self, index: int, direction: int, angle: int
    ) -> tuple[Image, npt.NDArray[np.bool_]]:
        key = (index * 2 + (direction > 0), angle)
        cached = self._rotated.get(key)
        if cached is None:
            image, mask = self._sprites[index]
            if direction < 0:
                image, mask = image[:, ::-1].copy(), mask[:, ::-1].copy()
            if angle:
                image, mask = _rotate(image, mask, angle)
            cached = (image, mask)
            self._rotated[key] = cached
        return cached


# ---------------------------------------------------------------- sprite helpers


def _draw_vehicle_sprite(
    kind: _Kind, colour: tuple[int, int, int], lane_h: float
) -> tuple[Image, npt.NDArray[np.bool_]]:
    """A right-facing top view: body, windscreen, rear window, roof, lights and wheels."""
    length = max(12, round(kind.length * lane_h))
    width = max(6, round(kind.width * lane_h))
    wheel = max(1, round(width * 0.12))
    h, w = width + 2 * wheel, length
    image = np.zeros((h, w, 3), np.uint8)
    mask = np.zeros((h, w), np.uint8)
    tyre = (25, 25, 25)
    for wx in (round(w * 0.15), round(w * 0.72)):
        ww = max(2, round(w * 0.14))
        for wy in (0, h - wheel - 1):
            cv2.rectangle(image, (wx, wy), (wx + ww, wy + wheel), tyre, -1)
            cv2.rectangle(mask, (wx, wy), (wx + ww, wy + wheel), 255, -1)
    body_top, body_bottom = wheel, h - wheel - 1
    radius = max(1, width // 5)
    _rounded_rect(image, (0, body_top, w - 1, body_bottom), radius, colour)
    _rounded_rect(mask, (0, body_top, w - 1, body_bottom), radius, (255, 255, 255))
    shade = tuple(int(c * 0.75) for c in colour)
    glass = (70, 55, 40)
    inset = max(1, round(width * 0.12))
    if kind.name == "bus":
        cv2.rectangle(image, (inset, body_top + inset), (w - inset * 3, body_bottom - inset),
                      shade, -1)  # fmt: skip
        cv2.rectangle(image, (w - inset * 3, body_top + inset), (w - inset, body_bottom - inset),
                      glass, -1)  # fmt: skip
    else:
        front = round(w * (0.62 if kind.name != "van" else 0.7))
        screen = max(2, round(w * 0.14))
        cv2.rectangle(image, (front, body_top + inset), (front + screen, body_bottom - inset),
                      glass, -1)  # fmt: skip
        rear = round(w * 0.14)
        cv2.rectangle(image, (rear, body_top + inset), (rear + max(2, screen // 2),
                      body_bottom - inset), glass, -1)  # fmt: skip
        cv2.rectangle(image, (rear + screen // 2 + 1, body_top + inset), (front - 1,
                      body_bottom - inset), shade, -1)  # fmt: skip
    light = max(1, round(width * 0.16))
    cv2.rectangle(image, (w - 2, body_top + 1), (w - 1, body_top + light), (200, 245, 255), -1)
    cv2.rectangle(image, (w - 2, body_bottom - light), (w - 1, body_bottom - 1),
                  (200, 245, 255), -1)  # fmt: skip
    cv2.rectangle(image, (0, body_top + 1), (1, body_top + light), (30, 30, 200), -1)
    cv2.rectangle(image, (0, body_bottom - light), (1, body_bottom - 1), (30, 30, 200), -1)
    return image, mask > 0


def _rounded_rect(
    image: Image, box: tuple[int, int, int, int], r: int, colour: tuple[int, ...]
) -> None:
    x0, y0, x1, y1 = box
    cv2.rectangle(image, (x0 + r, y0), (x1 - r, y1), colour, -1)
    cv2.rectangle(image, (x0, y0 + r), (x1, y1 - r), colour, -1)
    for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
        cv2.circle(image, (cx, cy), r, colour, -1)


def _rotate(
    image: Image, mask: npt.NDArray[np.bool_], angle: float
) -> tuple[Image, npt.NDArray[np.bool_]]:
    h, w = mask.shape
    rad = math.radians(angle)
    nw = math.ceil(abs(w * math.cos(rad)) + abs(h * math.sin(rad)))
    nh = math.ceil(abs(w * math.sin(rad)) + abs(h * math.cos(rad)))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    matrix[0, 2] += (nw - w) / 2
    matrix[1, 2] += (nh - h) / 2
    rotated = cast(Image, cv2.warpAffine(image, matrix, (nw, nh), flags=cv2.INTER_LINEAR))
    rotated_mask = cv2.warpAffine(mask.astype(np.uint8) * 255, matrix, (nw, nh)) > 127
    return rotated, rotated_mask


def _blit(frame: Image, sprite: Image, mask: npt.NDArray[np.bool_], x0: int, y0: int) -> None:
    """Copy the sprite's masked pixels onto the frame at (x0, y0), clipped to the frame."""
    fh, fw = frame.shape[:2]
    sh, sw = mask.shape
    fx0, fy0 = max(0, x0), max(0, y0)
    fx1, fy1 = min(fw, x0 + sw), min(fh, y0 + sh)
    if fx0 >= fx1 or fy0 >= fy1:
        return
    sx0, sy0 = fx0 - x0, fy0 - y0
    sx1, sy1 = sx0 + (fx1 - fx0), sy0 + (fy1 - fy0)
    np.copyto(
        frame[fy0:fy1, fx0:fx1],
        sprite[sy0:sy1, sx0:sx1],
        where=mask[sy0:sy1, sx0:sx1, None],
    )
