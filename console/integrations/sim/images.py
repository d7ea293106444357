"""Synthetic photos for simulated submissions: real JPEGs drawn with OpenCV.

Scene kinds show a road with two cars (front and rear three-quarter views, the collision
point, a damage close-up, a wide shot with the warning triangle); the licence and the
registration are cards lying on a table, with the party's licence number, class, plate and
VIN printed on them (Chinese text is drawn as glyph-like strokes: OpenCV's fonts are ASCII).
Phone-camera noise brings an ordinary photo to about `DEFAULT_PHOTO_BYTES`; a spec may ask
for more (1–3 MB for a benchmark: a larger frame and more noise).

Every photo is a pure function of its `PhotoSpec`, so a submission can list the hash and size
of its photos at once and serve the bytes later from a bounded cache, drawing them again after
eviction. The picture is cached per kind, size, text and seed; each photo is still unique,
because the phone's tag (its id, time and place, like EXIF) goes into a JPEG comment.

Defects: `corrupt` garbles the tables and cuts the scan short, so the file starts like a JPEG
but does not decode; `oversize` is a valid JPEG of ten times `HALL_PHOTO_LIMIT_BYTES`, produced
chunk by chunk on request (padding in comment segments) and never held in memory;
`pdf_as_jpg` is a small real PDF (a scan of the picture); `hash_mismatch` is a good JPEG, but
not the one whose hash and size the app listed.

cv2 and numpy are imported inside the functions that use them, so importing the simulator
stays cheap.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Final, cast

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]

HALL_PHOTO_LIMIT_BYTES: Final = 8 * 1024 * 1024
"""The hall's limit for one photo; the `oversize` defect exceeds it ten times."""
OVERSIZE_BYTES: Final = 10 * HALL_PHOTO_LIMIT_BYTES
DEFAULT_PHOTO_BYTES: Final = 250_000
"""About how large an ordinary photo is (they land between about 150 and 400 KB)."""
MIN_PHOTO_BYTES: Final = 20_000
MAX_PHOTO_BYTES: Final = 6_000_000
CACHE_BYTES: Final = 96 * 1024 * 1024
"""Encoded pictures kept for serving; evicted ones are drawn again on request."""
CHUNK_BYTES: Final = 64 * 1024

SCENE_KINDS: Final = ("scene_front_side", "scene_rear_side", "collision_point")
PARTY_KINDS: Final = ("driving_licence", "vehicle_registration")
EXTRA_KINDS: Final = ("scene_other", "damage")
PHOTO_KINDS: Final = (*SCENE_KINDS, *PARTY_KINDS, *EXTRA_KINDS)

JPEG: Final = "image/jpeg"
PDF_MAGIC: Final = b"%PDF-"

_SOI = b"\xff\xd8"
_COM = b"\xff\xfe"
_MAX_SEGMENT = 0xFFFF  # a segment's length field counts itself, not the marker


class Defect(StrEnum):
    CORRUPT = "corrupt"
    OVERSIZE = "oversize"
    PDF_AS_JPG = "pdf_as_jpg"
    HASH_MISMATCH = "hash_mismatch"


@dataclass(frozen=True)
class PhotoSpec:
    """Everything a photo's bytes follow from.

    `fields` is what the picture shows: for a card its printed fields (`number`, `class`,
    `plate`, …), for a scene the plates on the cars (`plate`), for both the phone's stamp
    (`stamp`). `tag` makes the file unique; `variant` seeds the drawing.
    """

    kind: str
    variant: int
    target_bytes: int = DEFAULT_PHOTO_BYTES
    fields: tuple[tuple[str, str], ...] = ()
    tag: str = ""
    defect: Defect | None = None

    def __post_init__(self) -> None:
        if self.kind not in PHOTO_KINDS:
            raise ValueError(f"unknown photo kind {self.kind!r}")
        if not MIN_PHOTO_BYTES <= self.target_bytes <= MAX_PHOTO_BYTES:
            raise ValueError(f"photo_bytes must be between {MIN_PHOTO_BYTES} and {MAX_PHOTO_BYTES}")

    def field(self, key: str, default: str = "") -> str:
        for name, value in self.fields:
            if name == key:
                return value
        return default

    @property
    def picture(self) -> PhotoSpec:
        """The spec of the drawing alone: what the picture cache is keyed by."""
        return replace(self, tag="", defect=None)


@dataclass(frozen=True)
class PhotoFile:
    """What a photo's bytes are (`size`, `sha256`) and what the app claims about them."""

    mime: str
    size: int
    sha256: str
    claimed_size: int
    claimed_sha256: str


# ---------------------------------------------------------------- the factory


class PhotoFactory:
    """Draws, encodes, caches and streams photos; safe to use from any thread."""

    def __init__(self, cache_bytes: int = CACHE_BYTES) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[PhotoSpec, bytes] = OrderedDict()
        self._cached = 0
        self._budget = cache_bytes
        self._qualities: dict[tuple[str, int, int, int], int] = {}
        self._noise: dict[tuple[int, int], tuple[Image, Image]] = {}
        self._oversize_sha: dict[tuple[bytes, str], str] = {}

    def describe(self, spec: PhotoSpec) -> PhotoFile:
        """Hash and size of the bytes served, and of the bytes the app claims."""
        if spec.defect is Defect.OVERSIZE:
            picture = self.picture(spec)
            key = (hashlib.sha256(picture).digest(), spec.tag)
            with self._lock:
                digest = self._oversize_sha.get(key)
            if digest is None:
                hasher = hashlib.sha256()
                for chunk in self.chunks(spec):
                    hasher.update(chunk)
                digest = hasher.hexdigest()
                with self._lock:
                    self._oversize_sha[key] = digest
            return PhotoFile(JPEG, OVERSIZE_BYTES, digest, OVERSIZE_BYTES, digest)
        data = self.data(spec)
        digest = hashlib.sha256(data).hexdigest()
        if spec.defect is Defect.HASH_MISMATCH:
            claimed = self.data(replace(spec, defect=None))
            return PhotoFile(
                JPEG, len(data), digest, len(claimed), hashlib.sha256(claimed).hexdigest()
            )
        return PhotoFile(JPEG, len(data), digest, len(data), digest)

    def data(self, spec: PhotoSpec) -> bytes:
        """The whole file; not for the oversize defect, which is only ever streamed."""
        if spec.defect is Defect.OVERSIZE:
            raise ValueError("an oversize photo is streamed, never held whole")
        if spec.defect is Defect.PDF_AS_JPG:
            return _pdf_scan(self._thumbnail(spec), spec.tag)
        picture = self.picture(spec)
        tagged = _with_comment(picture, _tag_text(spec))
        if spec.defect is Defect.CORRUPT:
            return _garble(tagged, spec.variant)
        if spec.defect is Defect.HASH_MISMATCH:
            return _with_comment(picture, _tag_text(spec) + " edited")
        return tagged

    def chunks(self, spec: PhotoSpec) -> Iterator[bytes]:
        """The file in pieces of at most about `CHUNK_BYTES`, produced as they are read."""
        if spec.defect is not Defect.OVERSIZE:
            data = self.data(spec)
            for start in range(0, len(data), CHUNK_BYTES):
                yield data[start : start + CHUNK_BYTES]
            return
        yield from _padded_jpeg(self.picture(spec), _tag_text(spec), OVERSIZE_BYTES)

    def picture(self, spec: PhotoSpec) -> bytes:
        """The encoded drawing, from the cache or drawn now."""
        key = spec.picture
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        data = self._render(key)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = data
                self._cached += len(data)
                while self._cached > self._budget and len(self._cache) > 1:
                    _, old = self._cache.popitem(last=False)
                    self._cached -= len(old)
        return data

    # ------------------------------------------------------------ drawing and encoding

    def _render(self, spec: PhotoSpec) -> bytes:
        width, height, sigma = _frame_for(spec.target_bytes)
        image = _draw(spec, width, height)
        image = self._add_noise(image, sigma, spec.variant)
        return self._encode(image, spec, width, height, sigma)

    def _thumbnail(self, spec: PhotoSpec) -> bytes:
        import cv2

        image = _draw(spec.picture, 800, 600)
        ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 70])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        return bytes(buffer)

    def _add_noise(self, image: Image, sigma: int, variant: int) -> Image:
        """Sensor noise from a small seeded tile: the same spec always gets the same noise."""
        import cv2
        import numpy as np

        with self._lock:
            tiles = self._noise.get((sigma, variant % 4))
        if tiles is None:
            rng = np.random.default_rng(1000 * sigma + variant % 4)
            noise = rng.normal(0.0, float(sigma), (256, 256, 3))
            up = np.clip(noise, 0, 255).astype(np.uint8)
            down = np.clip(-noise, 0, 255).astype(np.uint8)
            tiles = (up, down)
            with self._lock:
                self._noise[(sigma, variant % 4)] = tiles
        height, width = image.shape[:2]
        rows, cols = -(-height // 256), -(-width // 256)
        brighter = cv2.repeat(tiles[0], rows, cols)[:height, :width]
        darker = cv2.repeat(tiles[1], rows, cols)[:height, :width]
        return cast("Image", cv2.subtract(cv2.add(image, brighter), darker))

    def _encode(self, image: Image, spec: PhotoSpec, width: int, height: int, sigma: int) -> bytes:
        """JPEG at the quality that lands near the target size; the quality found is kept
        per kind and frame, so later photos of the kind take one encoding."""
        import cv2

        def encode(quality: int) -> bytes:
            ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if not ok:
                raise RuntimeError("JPEG encoding failed")
            return bytes(buffer)

        family = "card" if spec.kind in PARTY_KINDS else spec.kind
        key = (family, width * height, sigma, spec.target_bytes)
        with self._lock:
            known = self._qualities.get(key)
        if known is not None:
            return encode(known)
        low, high = 30, 97
        best_quality, best = high, encode(high)
        while low <= high:
            quality = (low + high) // 2
            data = encode(quality)
            if abs(len(data) - spec.target_bytes) < abs(len(best) - spec.target_bytes):
                best_quality, best = quality, data
            if abs(len(data) - spec.target_bytes) <= spec.target_bytes * 0.08:
                break
            if len(data) < spec.target_bytes:
                low = quality + 1
            else:
                high = quality - 1
        with self._lock:
            self._qualities[key] = best_quality
        return best


def _frame_for(target: int) -> tuple[int, int, int]:
    """Frame size and noise for a target file size: a phone photo of 2 to 12 megapixels (a
    small one for tests that ask for small files)."""
    if target <= 80_000:
        return 800, 600, 3
    if target <= 450_000:
        return 1600, 1200, 4
    if target <= 1_300_000:
        return 2560, 1920, 6
    return 4000, 3000, 8


def _tag_text(spec: PhotoSpec) -> str:
    return f"hall-sim {spec.kind} {spec.tag}".strip()


def _with_comment(jpeg: bytes, text: str) -> bytes:
    """The JPEG with a comment segment right after its start marker."""
    return _SOI + _comment_segment(text.encode("utf-8")) + jpeg[2:]


def _garble(jpeg: bytes, seed: int) -> bytes:
    """Keep the start (it still sniffs as a JPEG), scramble the tables, cut the scan short."""
    rng = random.Random(f"corrupt/{seed}")
    start = jpeg.find(b"\xff\xdb")  # the first quantisation table
    start = 2 if start < 0 else start
    body = bytearray(jpeg[: max(start + 4096, len(jpeg) * 6 // 10)])
    for index in range(start, min(start + 4096, len(body))):
        body[index] = rng.randrange(256)
    return bytes(body)


def _padded_jpeg(picture: bytes, tag: str, total: int) -> Iterator[bytes]:
    """A valid JPEG of exactly `total` bytes: start, tag, comment segments of padding, then
    the picture's own segments. One padding segment is shared, so memory stays small."""
    head = _SOI + _comment_segment(tag.encode())
    tail = picture[2:]
    padding = total - len(head) - len(tail)
    if padding < 4:
        raise ValueError("the picture is larger than the oversize total")
    full = _MAX_SEGMENT + 2
    count, last = divmod(padding, full)
    sizes = [full] * count
    if last:
        if last < 4:  # a segment needs its marker and length: borrow from the previous one
            sizes[-1] -= 4 - last
            last = 4
        sizes.append(last)
    segment = _COM + _MAX_SEGMENT.to_bytes(2, "big") + b"\0" * (_MAX_SEGMENT - 2)
    yield head
    for size in sizes:
        yield segment if size == full else _COM + (size - 2).to_bytes(2, "big") + b"\0" * (size - 4)
    yield tail


def _comment_segment(payload: bytes) -> bytes:
    payload = payload[: _MAX_SEGMENT - 2]
    return _COM + (len(payload) + 2).to_bytes(2, "big") + payload


def _pdf_scan(jpeg: bytes, title: str) -> bytes:
    """A one-page PDF with the JPEG as its image: what a scanning app uploads."""
    width, height = _jpeg_size(jpeg)
    page_w, page_h = 595, 842
    shown_w = 500
    shown_h = round(shown_w * height / width)
    safe_title = "".join(c for c in title if c.isascii() and c.isprintable() and c not in "()\\")
    content = (
        f"q {shown_w} 0 0 {shown_h} 47 {page_h - 80 - shown_h} cm /Im0 Do Q "
        f"BT /F1 11 Tf 47 {page_h - 60} Td (Scanned document {safe_title[:60]}) Tj ET"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w} {page_h}] "
            "/Resources << /XObject << /Im0 4 0 R >> /Font << /F1 6 0 R >> >> "
            "/Contents 5 0 R >>"
        ).encode(),
        (
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
            f"/Length {len(jpeg)} >>\nstream\n"
        ).encode()
        + jpeg
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """Width and height from the JPEG's frame header."""
    index = 2
    while index + 9 < len(jpeg):
        if jpeg[index] != 0xFF:
            break
        marker = jpeg[index + 1]
        length = int.from_bytes(jpeg[index + 2 : index + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(jpeg[index + 5 : index + 7], "big")
            width = int.from_bytes(jpeg[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    raise ValueError("no frame header in the JPEG")


# ---------------------------------------------------------------- pictures

_Colour = tuple[int, int, int]  # BGR
_CAR_COLOURS: tuple[_Colour, ...] = (
    (235, 235, 235), (40, 40, 40), (190, 190, 195), (40, 40, 170), (150, 90, 30),
    (60, 110, 60), (200, 200, 210), (30, 140, 210), (110, 80, 70), (245, 245, 250),
)  # fmt: skip


def _draw(spec: PhotoSpec, width: int, height: int) -> Image:
    if spec.kind in PARTY_KINDS:
        return _card_photo(spec, width, height)
    return _scene_photo(spec, width, height)


def _scene_photo(spec: PhotoSpec, width: int, height: int) -> Image:
    import cv2
    import numpy as np

    rng = random.Random(f"{spec.kind}/{spec.variant}")
    image = np.empty((height, width, 3), np.uint8)
    close_up = spec.kind in ("collision_point", "damage")
    horizon = int(height * (0.18 if close_up else rng.uniform(0.34, 0.42)))
    # Sky, a vertical gradient from pale blue to haze.
    top, low = np.array((225, 190, 150), np.float32), np.array((235, 225, 215), np.float32)
    ramp = np.linspace(0.0, 1.0, max(horizon, 1), dtype=np.float32)[:, None]
    image[:horizon] = (top * (1 - ramp) + low * ramp).astype(np.uint8)[:, None, :]
    # Buildings and trees along the horizon.
    x = -rng.randint(0, 80)
    while x < width:
        w = rng.randint(width // 14, width // 6)
        h = rng.randint(horizon // 4, max(horizon // 4 + 1, int(horizon * 0.9)))
        shade = rng.randint(150, 215)
        colour = (shade - rng.randint(0, 25), shade - rng.randint(0, 20), shade)
        cv2.rectangle(image, (x, horizon - h), (x + w, horizon), colour, -1)
        for wy in range(horizon - h + 12, horizon - 10, max(18, h // 8)):
            for wx in range(x + 10, x + w - 14, max(20, w // 6)):
                cv2.rectangle(image, (wx, wy), (wx + 10, wy + 8), (120, 110, 95), -1)
        x += w + rng.randint(0, width // 20)
    for _ in range(rng.randint(3, 8)):
        tx = rng.randint(0, width)
        r = rng.randint(height // 30, height // 14)
        cv2.line(image, (tx, horizon), (tx, horizon - r), (40, 60, 80), max(3, r // 6))
        cv2.circle(image, (tx, horizon - r - r // 2), r, (50, 120 + rng.randint(0, 40), 60), -1)
    # The road in perspective, with lane markings towards the vanishing point.
    image[horizon:] = (92, 94, 96)
    vx = int(width * rng.uniform(0.35, 0.65))
    cv2.fillPoly(
        image,
        [np.array([(0, height), (vx - width // 30, horizon), (0, horizon)], np.int32)],
        (150, 160, 165),
    )
    for lane in (-0.5, 0.0, 0.5):
        bottom = int(vx + lane * width * 1.4)
        for step in range(12):
            t0, t1 = step / 12, (step + 0.5) / 12
            p0 = (int(vx + (bottom - vx) * t0), int(horizon + (height - horizon) * t0))
            p1 = (int(vx + (bottom - vx) * t1), int(horizon + (height - horizon) * t1))
            thickness = max(2, int(2 + 14 * t1))
            cv2.line(image, p0, p1, (235, 235, 235), thickness, cv2.LINE_AA)
    plates = [value for key, value in spec.fields if key == "plate"] or ["鲁E00000", "鲁E00001"]
    colours = rng.sample(_CAR_COLOURS, 2)
    if close_up:
        _close_up(image, rng, horizon, colours, plates, damage=spec.kind == "damage")
    else:
        scale = rng.uniform(0.85, 1.05)
        facing_rear = spec.kind == "scene_rear_side"
        base_y = int(height * rng.uniform(0.80, 0.88))
        first_x = int(width * rng.uniform(0.08, 0.18))
        car_w = int(width * 0.42 * scale)
        _car(
            image,
            first_x,
            base_y,
            car_w,
            colour=colours[0],
            plate=plates[0],
            rng=rng,
            rear=facing_rear,
        )
        second_x = first_x + int(car_w * rng.uniform(0.72, 0.85))
        _car(
            image,
            second_x,
            base_y - int(height * 0.03),
            int(car_w * 0.92),
            colour=colours[1],
            plate=plates[-1],
            rng=rng,
            rear=not facing_rear,
        )
        if spec.kind == "scene_other":
            _warning_triangle(image, int(width * 0.85), int(height * 0.92), height // 9)
    _stamp(image, spec.field("stamp"))
    return image


def _car(
    image: Image,
    x: int,
    base_y: int,
    length: int,
    *,
    colour: _Colour,
    plate: str,
    rng: random.Random,
    rear: bool,
) -> None:
    """A car in three-quarter view: shadow, body, cabin and glass, wheels, lights, plate."""
    import cv2
    import numpy as np

    height = int(length * 0.34)
    top = base_y - height
    wheel = int(height * 0.36)
    cv2.ellipse(
        image, (x + length // 2, base_y + wheel // 3), (length // 2 + 20, wheel // 2), 0, 0, 360,
        (55, 57, 60), -1,
    )  # fmt: skip
    body = np.array(
        [
            (x, base_y - wheel // 2), (x + length // 20, top + height // 3),
            (x + length, top + height // 3 + height // 12), (x + length, base_y - wheel // 2),
        ],
        np.int32,
    )  # fmt: skip
    cv2.fillPoly(image, [body], colour, cv2.LINE_AA)
    cabin = np.array(
        [
            (x + length // 5, top + height // 3), (x + length // 3, top - height // 3),
            (x + length * 2 // 3, top - height // 3), (x + length * 17 // 20, top + height // 3),
        ],
        np.int32,
    )  # fmt: skip
    cv2.fillPoly(image, [cabin], colour, cv2.LINE_AA)
    glass = cabin.copy()
    glass[:, 1] = np.clip(glass[:, 1] + height // 12, 0, None)
    glass[0, 0] += length // 30
    glass[3, 0] -= length // 30
    cv2.fillPoly(image, [glass], (95, 80, 70), cv2.LINE_AA)
    cv2.line(image, (x + length // 2, top - height // 4), (x + length // 2, top + height // 3),
             colour, max(3, length // 80))  # fmt: skip
    shade = tuple(max(0, c - 45) for c in colour)
    cv2.line(image, (x + length // 25, top + height * 2 // 3), (x + length, top + height * 2 // 3),
             shade, max(2, length // 150), cv2.LINE_AA)  # fmt: skip
    for cx in (x + length // 5, x + length * 4 // 5):
        cv2.circle(image, (cx, base_y - wheel // 3), wheel // 2, (25, 25, 25), -1, cv2.LINE_AA)
        cv2.circle(image, (cx, base_y - wheel // 3), wheel // 4, (170, 170, 175), -1, cv2.LINE_AA)
    light = (40, 40, 210) if rear else (200, 235, 245)
    lx = x + length - length // 14 if not rear else x + length // 60
    cv2.rectangle(image, (lx, top + height // 3 + 6), (lx + length // 16, top + height // 2),
                  light, -1, cv2.LINE_AA)  # fmt: skip
    _plate(image, x + length // 2 - length // 10, top + height // 2, length // 5, plate)
    if rng.random() < 0.5:  # a roof rail or a bit of chrome, so cars differ
        cv2.line(image, (x + length // 3, top - height // 3 - 3),
                 (x + length * 2 // 3, top - height // 3 - 3), (180, 180, 180), 3)  # fmt: skip


def _plate(image: Image, x: int, y: int, width: int, plate: str) -> None:
    """A plate: blue with white text, green with black text for a new-energy one."""
    import cv2

    height = max(12, width * 2 // 7)
    new_energy = len(plate) == 8
    fill, ink = ((90, 200, 120), (20, 20, 20)) if new_energy else ((150, 70, 20), (250, 250, 250))
    cv2.rectangle(image, (x, y), (x + width, y + height), fill, -1)
    cv2.rectangle(image, (x, y), (x + width, y + height), ink, max(1, width // 90))
    glyph = height * 2 // 3
    _glyph(image, x + width // 14, y + (height - glyph) // 2, glyph, plate[:1] or "鲁", ink=ink)
    text = plate[1:2] + "." + plate[2:] if len(plate) > 2 else plate
    room = width - width // 14 - glyph - 4 - width // 20
    natural = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)[0][0]
    scale = min(height / 42, room / max(natural, 1))
    origin = (x + width // 14 + glyph + 4, y + height * 3 // 4)
    weight = max(1, int(scale * 2))
    cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, ink, weight, cv2.LINE_AA)


def _close_up(
    image: Image,
    rng: random.Random,
    horizon: int,
    colours: Sequence[_Colour],
    plates: Sequence[str],
    *,
    damage: bool,
) -> None:
    """Two bumpers meeting (or one damaged panel) filling the frame: dents and scratches."""
    import cv2
    import numpy as np

    height, width = image.shape[:2]
    split = int(width * rng.uniform(0.45, 0.58))
    cv2.rectangle(image, (0, horizon + height // 10), (split, height), colours[0], -1)
    if not damage:
        cv2.rectangle(image, (split - width // 40, horizon + height // 6), (width, height),
                      colours[1], -1)  # fmt: skip
        _plate(image, split + width // 8, int(height * 0.62), width // 4, plates[-1])
    _plate(image, width // 10, int(height * 0.66), width // 4, plates[0])
    centre = (split + rng.randint(-width // 20, width // 20), int(height * rng.uniform(0.4, 0.55)))
    for ring in range(6, 0, -1):
        shade = tuple(max(0, c - 12 * ring) for c in colours[0])
        cv2.ellipse(image, centre, (width // 14 * ring // 3, height // 12 * ring // 3),
                    rng.randint(0, 40), 0, 360, shade, -1, cv2.LINE_AA)  # fmt: skip
    for _ in range(rng.randint(18, 40)):
        x0 = centre[0] + rng.randint(-width // 6, width // 6)
        y0 = centre[1] + rng.randint(-height // 8, height // 8)
        x1 = x0 + rng.randint(-width // 8, width // 8)
        y1 = y0 + rng.randint(-height // 30, height // 30)
        cv2.line(image, (x0, y0), (x1, y1), (225, 225, 230), rng.randint(1, 3), cv2.LINE_AA)
    shards = np.array(
        [(centre[0] + rng.randint(-60, 60), centre[1] + height // 4 + rng.randint(0, 60))
         for _ in range(5)], np.int32,
    )  # fmt: skip
    cv2.fillPoly(image, [shards], (60, 60, 200), cv2.LINE_AA)


def _warning_triangle(image: Image, x: int, y: int, size: int) -> None:
    import cv2
    import numpy as np

    points = np.array([(x, y - size), (x - size * 3 // 5, y), (x + size * 3 // 5, y)], np.int32)
    cv2.fillPoly(image, [points], (30, 30, 220), cv2.LINE_AA)
    inner = np.array(
        [(x, y - size * 2 // 3), (x - size * 3 // 10, y - size // 8), (x + size * 3 // 10,
         y - size // 8)], np.int32,
    )  # fmt: skip
    cv2.fillPoly(image, [inner], (90, 94, 96), cv2.LINE_AA)


def _stamp(image: Image, text: str) -> None:
    """The phone's time and place stamp in the corner, as camera apps print it."""
    import cv2

    if not text:
        return
    height, width = image.shape[:2]
    scale = width / 1400
    size, _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    origin = (width - size[0] - width // 40, height - height // 30)
    cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, (20, 20, 20),
                max(3, int(scale * 5)), cv2.LINE_AA)  # fmt: skip
    cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 215, 255),
                max(1, int(scale * 2)), cv2.LINE_AA)  # fmt: skip


def _glyph(image: Image, x: int, y: int, size: int, char: str, *, ink: _Colour) -> None:
    """A made-up character of strokes, the same for the same character: Chinese text as a
    photo of a card shows it, without a Chinese font."""
    import cv2

    if char.isascii():
        cv2.putText(image, char, (x, y + size), cv2.FONT_HERSHEY_SIMPLEX, size / 30, ink,
                    max(1, size // 14), cv2.LINE_AA)  # fmt: skip
        return
    rng = random.Random(ord(char))
    thickness = max(1, size // 12)
    for _ in range(rng.randint(3, 6)):
        kind = rng.random()
        if kind < 0.4:  # across
            y0 = y + rng.randint(size // 8, size * 7 // 8)
            start = (x + rng.randint(0, size // 3), y0)
            end = (x + size - rng.randint(0, size // 3), y0)
        elif kind < 0.75:  # down
            x0 = x + rng.randint(size // 8, size * 7 // 8)
            start = (x0, y + rng.randint(0, size // 3))
            end = (x0, y + size - rng.randint(0, size // 4))
        else:  # a falling stroke
            x0 = x + rng.randint(0, size // 2)
            start = (x0 + size // 2, y + rng.randint(0, size // 3))
            end = (x0, y + size - rng.randint(0, size // 4))
        cv2.line(image, start, end, ink, thickness, cv2.LINE_AA)


def _text(
    image: Image, x: int, y: int, text: str, size: int, *, ink: _Colour = (40, 40, 40)
) -> int:
    """Mixed text: ASCII with the Hershey font, the rest as glyphs. Returns the end x."""
    import cv2

    scale = size / 30
    run = ""

    def flush(at: int) -> int:
        nonlocal run
        if not run:
            return at
        cv2.putText(image, run, (at, y + size), cv2.FONT_HERSHEY_SIMPLEX, scale, ink,
                    max(1, size // 14), cv2.LINE_AA)  # fmt: skip
        width = cv2.getTextSize(run, cv2.FONT_HERSHEY_SIMPLEX, scale, max(1, size // 14))[0][0]
        run = ""
        return at + int(width)

    for char in text:
        if char.isascii():
            run += char
            continue
        x = flush(x)
        _glyph(image, x, y, size, char, ink=ink)
        x += size + size // 6
    return flush(x)


_LICENCE_FIELDS = (
    ("number", "证号 No."), ("name", "姓名 Name"), ("sex", "性别 Sex"),
    ("nationality", "国籍 Nationality"), ("address", "住址 Address"),
    ("birth", "出生日期 Date of Birth"), ("first_issue", "初次领证日期 Date of First Issue"),
    ("class", "准驾车型 Class"), ("valid", "有效期限 Valid Period"),
)  # fmt: skip
_REGISTRATION_FIELDS = (
    ("plate", "号牌号码 Plate No."), ("vehicle_type", "车辆类型 Vehicle Type"),
    ("owner", "所有人 Owner"), ("address", "住址 Address"), ("use", "使用性质 Use Character"),
    ("model", "品牌型号 Model"), ("vin", "车辆识别代号 VIN"), ("engine", "发动机号码 Engine No."),
    ("register_date", "注册日期 Register Date"), ("issue_date", "发证日期 Issue Date"),
)  # fmt: skip


def _card_photo(spec: PhotoSpec, width: int, height: int) -> Image:
    """A licence or registration card lying on a table, photographed slightly askew."""
    import cv2
    import numpy as np

    rng = random.Random(f"{spec.kind}/{spec.variant}")
    # The table: wood, a gradient with grain.
    image = np.empty((height, width, 3), np.uint8)
    wood = np.array((60 + rng.randint(0, 30), 100 + rng.randint(0, 30), 150), np.float32)
    shade = np.linspace(0.75, 1.05, width, dtype=np.float32)[:, None]
    image[:] = np.clip(wood[None, :] * shade, 0, 255).astype(np.uint8)[None, :, :]
    for _ in range(60):
        y = rng.randint(0, height)
        cv2.line(image, (0, y), (width, y + rng.randint(-40, 40)),
                 tuple(int(c * 0.85) for c in wood), rng.randint(1, 3), cv2.LINE_AA)  # fmt: skip
    card_w, card_h = 1500, 1020
    card = np.empty((card_h, card_w, 3), np.uint8)
    licence = spec.kind == "driving_licence"
    card[:] = (215, 225, 240) if licence else (225, 238, 228)
    cv2.rectangle(card, (0, 0), (card_w, 150), (170, 120, 60) if licence else (90, 130, 70), -1)
    title = "中华人民共和国机动车驾驶证" if licence else "中华人民共和国机动车行驶证"
    _text(card, 60, 24, title, 56, ink=(250, 250, 250))
    subtitle = (
        "Driving License of the People's Republic of China"
        if licence
        else "Vehicle License of the People's Republic of China"
    )
    _text(card, 60, 100, subtitle, 30, ink=(250, 250, 250))
    labels = _LICENCE_FIELDS if licence else _REGISTRATION_FIELDS
    y = 190
    for key, label in labels:
        end = _text(card, 60, y, label, 30, ink=(90, 90, 90))
        _text(card, max(end + 30, 560), y - 4, spec.field(key, "-"), 38, ink=(25, 25, 25))
        y += 78 if licence else 72
    if licence:  # the holder's photo and the issuing stamp
        cv2.rectangle(card, (1180, 200), (1440, 540), (200, 200, 200), -1)
        cv2.circle(card, (1310, 330), 70, (120, 120, 125), -1, cv2.LINE_AA)
        cv2.ellipse(card, (1310, 540), (120, 110), 0, 180, 360, (120, 120, 125), -1, cv2.LINE_AA)
    cv2.circle(card, (1250, 850), 110, (60, 60, 200), 6, cv2.LINE_AA)
    _text(card, 1170, 830, "公安局", 48, ink=(60, 60, 200))
    # Lay it on the table, turned a little and in perspective.
    scale = min(width / card_w, height / card_h) * rng.uniform(0.70, 0.82)
    cx, cy = width / 2 + rng.uniform(-0.05, 0.05) * width, height / 2
    angle = np.deg2rad(rng.uniform(-6, 6))
    corners = np.array([(0, 0), (card_w, 0), (card_w, card_h), (0, card_h)], np.float32)
    centred = (corners - (card_w / 2, card_h / 2)) * scale
    rotation = np.array(
        [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32
    )
    placed = centred @ rotation.T + (cx, cy)
    squeeze = rng.uniform(0.02, 0.06) * width
    placed[0, 0] += squeeze
    placed[1, 0] -= squeeze
    placed = placed.astype(np.float32)
    shadow = (placed + np.array((width / 80, height / 60), np.float32)).astype(np.int32)
    cv2.fillPoly(image, [shadow], tuple(int(c * 0.55) for c in wood), cv2.LINE_AA)
    matrix = cv2.getPerspectiveTransform(corners, placed)
    cv2.warpPerspective(card, matrix, (width, height), dst=image, borderMode=cv2.BORDER_TRANSPARENT)
    _stamp(image, spec.field("stamp"))
    return image
