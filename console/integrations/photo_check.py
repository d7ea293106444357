"""Is an uploaded file a photo the hall can keep? Judged by its content, never its name or the
MIME type the app claims: a PDF renamed .jpg, a truncated JPEG or an empty file is refused
with a reason, and the rest of the submission goes on.

Decoding uses OpenCV (imported on first use: it costs a second at start-up). Run it on a
worker thread; a 3 MB photo decodes in tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PHOTO_LIMIT_BYTES: Final = 8 * 1024 * 1024
"""The largest photo the hall stores; phone photos are 1–5 MB."""
MAX_PIXELS: Final = 50_000_000
"""Beyond this a 'photo' is a decompression bomb, not a phone picture."""

_JPEG: Final = b"\xff\xd8\xff"
_PNG: Final = b"\x89PNG\r\n\x1a\n"
_PDF: Final = b"%PDF"


@dataclass(frozen=True, slots=True)
class PhotoCheck:
    """`mime`, `width` and `height` for an accepted photo; `reason` (corrupt, too_large,
    wrong_type, empty) and `detail` for a refused one."""

    ok: bool
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    reason: str | None = None
    detail: str = ""


def refuse(reason: str, detail: str) -> PhotoCheck:
    return PhotoCheck(False, reason=reason, detail=detail)


def sniff(data: bytes) -> str | None:
    """The image type the bytes say they are, whatever the file was called."""
    if data.startswith(_JPEG):
        return "image/jpeg"
    if data.startswith(_PNG):
        return "image/png"
    return None


def check_photo(data: bytes, *, limit: int = PHOTO_LIMIT_BYTES) -> PhotoCheck:
    if not data:
        return refuse("empty", "the file is empty")
    if len(data) > limit:
        return refuse("too_large", f"{len(data)} bytes; the limit is {limit}")
    mime = sniff(data)
    if mime is None:
        kind = "a PDF document" if data.startswith(_PDF) else "not a JPEG or PNG image"
        return refuse("wrong_type", f"the content is {kind}")
    if mime == "image/jpeg" and not data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9"):
        # libjpeg fills a truncated JPEG with grey and only warns; the end marker tells.
        return refuse("corrupt", "the JPEG ends before its end marker (truncated upload)")
    import cv2
    import numpy as np

    buffer = np.frombuffer(data, dtype=np.uint8)
    image = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
    if image is None:
        return refuse("corrupt", "the image does not decode")
    height, width = int(image.shape[0]), int(image.shape[1])
    if width * height > MAX_PIXELS:
        return refuse("too_large", f"{width}×{height} pixels")
    return PhotoCheck(True, mime=mime, width=width, height=height)
