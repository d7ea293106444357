"""The determination letter (道路交通事故认定书（简易程序）) as an A4 PDF, drawn with Qt's own
PDF writer, and the same page as an image.

Public API:
- `render_letter_pdf(content) -> bytes`: one A4 page at 300 dpi, the CJK font embedded.
- `render_letter_image(content, dpi=150) -> QImage`: the same painting into a white image
  (previews, tests: the QR code in it decodes to `verification_url`).
- `letter_font_family() -> str`: loads the bundled font once per process (thread-safe).

Both share `_paint_letter`, which lays the page out in tenths of a millimetre, so the PDF and
the image differ only in resolution. Safe on a worker thread while a Q(Gui)Application runs:
only QPdfWriter, QImage and QPainter are used, never a widget.

Font: resources/fonts/HallLetterSansSC-Regular.ttf, a GB2312 + punctuation subset of Noto Sans
CJK SC with TrueType outlines (installer/make_letter_font.py), loaded with
`QFontDatabase.addApplicationFontFromData` under a unique family name and selected with
`NoFontMerging`, so the output never depends on the machine's fonts. Qt embeds the glyphs it
uses as a TrueType subset (/FontFile2). Characters outside the subset print as the .notdef box
rather than falling back to a system font.

Determinism (a reprint of equal content is byte-identical): Qt writes three varying things,
which are pinned or rewritten after writing, each with the same byte length so the xref
offsets stay valid:
- the creation date, in the Info dictionary (`/CreationDate (D:yyyyMMddhhmmssZ)`, or with
  `+hh'mm'` off UTC machines) and in the XMP metadata (`xmp:CreateDate`, `ModifyDate`,
  `MetadataDate`, ISO 8601 with offset): rewritten to `issued_at` (hall time, UTC+8; the
  `Z` form in UTC) by `_pin_dates`;
- the document UUID (XMP `xmpMM:DocumentID`/`InstanceID` and the trailer `/ID`): set with
  `QPdfWriter.setDocumentId` to a UUIDv5 of the content's digest;
- creator and title: fixed (`setCreator`, `setTitle`).
Everything else Qt writes (object order, font subset tag, compressed streams) is a function of
the drawing calls, which are a function of the content only (and of the Qt version, which is
in `/Producer`). tests/ui/test_letter_pdf.py renders twice more than a second apart.
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import datetime, timedelta

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt, QUuid
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from console.domain.deadlines import HALL_TZ, to_local
from console.domain.letter import LetterContent, LetterParty, content_digest
from console.paths import resources_dir
from console.reports import qrcode

FONT_FILE = "HallLetterSansSC-Regular.ttf"
FONT_FAMILY = "Hall Letter Sans SC"
PDF_CREATOR = "Hall Console"
PDF_DPI = 300
_UUID_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-5b7a-9a43-2d1c7e0b9f10")

_PAGE_W = 2100  # A4 in tenths of a millimetre
_PAGE_H = 2970
_MARGIN = 180
_CONTENT_W = _PAGE_W - 2 * _MARGIN
_QR_SIZE = 260  # including the 4-module quiet zone

_font_lock = threading.Lock()
_font_family: list[str] = []  # filled once, under _font_lock


class LetterFontError(RuntimeError):
    """The bundled letter font is missing or Qt refused it."""


def letter_font_family() -> str:
    """Register the bundled font with Qt (once per process) and return its family."""
    with _font_lock:
        if not _font_family:
            path = resources_dir() / "fonts" / FONT_FILE
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise LetterFontError(f"letter font missing: {path}") from exc
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if not families:
                raise LetterFontError(f"Qt could not load {path}")
            _font_family.append(families[0])
        return _font_family[0]


def _font(size: int) -> QFont:
    """The letter font at `size` tenths of a millimetre (pixel size in page units)."""
    font = QFont(letter_font_family())
    font.setPixelSize(size)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(False)
    return font


def _local(moment: datetime) -> datetime:
    return to_local(moment, HALL_TZ)


def _date_time(moment: datetime) -> str:
    local = _local(moment)
    return (
        f"{local.year}年{local.month:02d}月{local.day:02d}日{local.hour:02d}时{local.minute:02d}分"
    )


def _date(moment: datetime) -> str:
    local = _local(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def _coordinates(content: LetterContent) -> str:
    if content.lat is None or content.lon is None:
        return "—"
    ns = "N" if content.lat >= 0 else "S"
    ew = "E" if content.lon >= 0 else "W"
    return f"{abs(content.lat):.6f}°{ns}，{abs(content.lon):.6f}°{ew}"


def _liability(party: LetterParty) -> str:
    grade = "无责任" if party.grade == "无" else f"{party.grade}责任"
    return f"当事人{party.letter}（{party.name}）：{party.fault}，承担{grade}。"


class _Page:
    """Drawing helpers in page units (0.1 mm) with a running vertical cursor."""

    def __init__(self, painter: QPainter) -> None:
        self.p = painter
        self.y = float(_MARGIN)
        self.pen = QPen(QColor(0, 0, 0))
        self.pen.setWidthF(3.0)  # 0.3 mm
        self.pen.setCosmetic(False)
        painter.setPen(self.pen)

    def text_height(self, text: str, size: int, width: float) -> float:
        metrics = QFontMetricsF(_font(size))
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, width, 10_000), flags, text).height()

    def text(self, rect: QRectF, text: str, size: int, align: Qt.AlignmentFlag) -> None:
        self.p.setFont(_font(size))
        self.p.setPen(self.pen)
        self.p.drawText(rect, int(align) | int(Qt.TextFlag.TextWordWrap), text)

    def line(self, text: str, size: int, align: Qt.AlignmentFlag, gap: float = 0) -> None:
        height = self.text_height(text, size, _CONTENT_W)
        self.text(QRectF(_MARGIN, self.y, _CONTENT_W, height), text, size, align)
        self.y += height + gap

    def grid(self, rows: list[list[tuple[str, str]]], size: int = 36) -> None:
        """A bordered table; each row is label/value pairs sharing the width equally."""
        label_w = 220.0
        pad = 12.0
        left = float(_MARGIN)
        for row in rows:
            cell_w = _CONTENT_W / len(row)
            value_w = cell_w - label_w
            heights = [self.text_height(v or "—", size, value_w - 2 * pad) for _, v in row]
            height = max([*heights, self.text_height("国", size, label_w)])
            height += 2 * pad
            for i, (label, value) in enumerate(row):
                x = left + i * cell_w
                label_rect = QRectF(x, self.y, label_w, height)
                value_rect = QRectF(x + label_w, self.y, value_w, height)
                self.p.fillRect(label_rect, QColor(238, 238, 238))
                self.p.setPen(self.pen)
                self.p.drawRect(label_rect)
                self.p.drawRect(value_rect)
                center = Qt.AlignmentFlag.AlignCenter
                self.text(label_rect.adjusted(pad / 2, pad, -pad / 2, -pad), label, size, center)
                vcenter = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                self.text(value_rect.adjusted(pad, pad, -pad, -pad), value or "—", size, vcenter)
            self.y += height


def _paint_qr(painter: QPainter, rect: QRectF, text: str) -> None:
    matrix = qrcode.encode(text)
    modules = len(matrix) + 8
    cell = rect.width() / modules
    painter.fillRect(rect, QColor(255, 255, 255))
    black = QColor(0, 0, 0)
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):  # one rectangle per dark run: fewer, seamless shapes
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            painter.fillRect(
                QRectF(
                    rect.x() + (start + 4) * cell,
                    rect.y() + (y + 4) * cell,
                    (x - start) * cell,
                    cell,
                ),
                black,
            )


def _paint_letter(painter: QPainter, content: LetterContent) -> None:
    """Draw the page; the painter's logical coordinates are A4 in tenths of a millimetre."""
    left = Qt.AlignmentFlag.AlignLeft
    right = Qt.AlignmentFlag.AlignRight
    centre = Qt.AlignmentFlag.AlignHCenter
    page = _Page(painter)

    page.line(content.issuing_unit, 44, centre, gap=20)
    page.line(content.title, 62, centre, gap=24)
    doc_no = (
        content.doc_no if content.version <= 1 else f"{content.doc_no}（第{content.version}版）"
    )
    page.line(doc_no, 36, right, gap=30)

    page.grid(
        [
            [("事故时间", _date_time(content.occurred_at)), ("天气", content.weather)],
            [("事故地点", content.place)],
            [("坐标", _coordinates(content)), ("事故形态", content.accident_form)],
            [("碰撞部位", content.collision_parts)],
        ],
        size=32,
    )
    page.y += 24

    for party in content.parties:
        page.line(f"当事人{party.letter}", 38, left, gap=6)
        page.grid(
            [
                [("姓名", party.name), ("证件号码", party.id_or_licence)],
                [("联系电话", party.phone), ("交通方式", party.travel_mode)],
                [("号牌", f"{party.plate_type} {party.plate_no}"), ("保险单号", party.policy_no)],
                [("保险公司", party.insurer)],
            ],
            size=32,
        )
        page.y += 20

    page.line("交通事故事实及责任：", 38, left, gap=6)
    page.line(content.facts, 34, left, gap=6)
    for party in content.parties:
        page.line(_liability(party), 34, left, gap=6)
    page.y += 20

    signatures = "　　".join(f"当事人{p.letter} {p.name}（{p.signature}）" for p in content.parties)
    page.line(f"当事人签名：{signatures}", 34, left, gap=12)
    officer = f"交通警察：{content.officer_name}　　警号：{content.officer_badge}"
    page.line(officer, 34, left, gap=0)
    page.y -= page.text_height(officer, 34, _CONTENT_W)
    page.line(content.issuing_unit, 34, right, gap=4)
    page.line(_date(content.issued_at), 34, right, gap=20)

    if content.mediation:
        page.line("损害赔偿调解结果：", 38, left, gap=6)
        pad = 16.0
        height = page.text_height(content.mediation, 32, _CONTENT_W - 2 * pad) + 2 * pad
        box = QRectF(_MARGIN, page.y, _CONTENT_W, height)
        painter.setPen(page.pen)
        painter.drawRect(box)
        page.text(box.adjusted(pad, pad, -pad, -pad), content.mediation, 32, left)
        page.y += height + 30

    # Footer: rights notice on the left, the verification QR code on the right.
    code_size = 30
    code_h = page.text_height(content.verification_code, code_size, _QR_SIZE + 100)
    qr_top = _PAGE_H - _MARGIN - code_h - _QR_SIZE
    qr_rect = QRectF(_PAGE_W - _MARGIN - _QR_SIZE, qr_top, _QR_SIZE, _QR_SIZE)
    _paint_qr(painter, qr_rect, content.verification_url)
    page.text(
        QRectF(qr_rect.x() - 50, qr_rect.bottom(), _QR_SIZE + 100, code_h),
        content.verification_code,
        code_size,
        centre,
    )
    notice_w = _CONTENT_W - _QR_SIZE - 60
    notice = (
        f"{content.rights_notice}\n扫描右侧二维码或访问 {content.verification_url} 核验本认定书。"
    )
    notice_h = page.text_height(notice, 28, notice_w)
    notice_top = _PAGE_H - _MARGIN - notice_h
    painter.setPen(page.pen)
    painter.drawLine(
        QRectF(_MARGIN, notice_top - 20, notice_w, 0).topLeft(),
        QRectF(_MARGIN, notice_top - 20, notice_w, 0).topRight(),
    )
    page.text(QRectF(_MARGIN, notice_top, notice_w, notice_h), notice, 28, left)


def _begin(painter: QPainter, device_width_px: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    scale = device_width_px / _PAGE_W
    painter.scale(scale, scale)


def document_uuid(content: LetterContent) -> uuid.UUID:
    """The PDF's document ID: a function of what the letter says."""
    return uuid.uuid5(_UUID_NAMESPACE, content_digest(content))


def render_letter_pdf(content: LetterContent) -> bytes:
    """The letter as a one-page A4 PDF; equal content gives identical bytes."""
    letter_font_family()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setCreator(PDF_CREATOR)
    writer.setTitle(f"{content.title} {content.doc_no}")
    writer.setDocumentId(QUuid(str(document_uuid(content))))
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("QPainter could not open the PDF writer")
    try:
        _begin(painter, writer.width())
        _paint_letter(painter, content)
    finally:
        painter.end()
    buffer.close()
    return _pin_dates(bytes(data.data()), content.issued_at)


def render_letter_image(content: LetterContent, dpi: int = 150) -> QImage:
    """The same page as a white RGB image at `dpi`."""
    letter_font_family()
    width = round(_PAGE_W / 254 * dpi)
    height = round(_PAGE_H / 254 * dpi)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor(255, 255, 255))
    painter = QPainter()
    if not painter.begin(image):
        raise RuntimeError("QPainter could not open the image")
    try:
        _begin(painter, width)
        _paint_letter(painter, content)
    finally:
        painter.end()
    return image


_PDF_DATE = re.compile(rb"\(D:(\d{14})(Z|[+\-]\d\d'\d\d')\)")
_XMP_DATE = re.compile(rb'(xmp:(?:CreateDate|ModifyDate|MetadataDate)=")([^"]+)(")')


def _pin_dates(pdf: bytes, issued_at: datetime) -> bytes:
    """Rewrite every creation/modification date Qt wrote to `issued_at`, keeping each value's
    byte length so the cross-reference offsets stay valid.

    Qt writes the Info date as `(D:yyyyMMddhhmmssZ)` when the machine runs on UTC, else with
    `+hh'mm'`: the former becomes issued_at in UTC, the latter in hall time. The XMP dates are
    ISO 8601 with a `+hh:mm` offset, always 25 bytes: hall time.
    """
    local = _local(issued_at)
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    local_pdf = (local.strftime("%Y%m%d%H%M%S") + f"{sign}{hh:02d}'{mm:02d}'").encode()
    utc_pdf = ((local - offset).strftime("%Y%m%d%H%M%S") + "Z").encode()
    iso = (local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{hh:02d}:{mm:02d}").encode()

    def pdf_date(match: re.Match[bytes]) -> bytes:
        return b"(D:" + (utc_pdf if match.group(2) == b"Z" else local_pdf) + b")"

    def xmp_date(match: re.Match[bytes]) -> bytes:
        if len(match.group(2)) != len(iso):
            raise ValueError(f"unexpected XMP date {match.group(2)!r}")
        return match.group(1) + iso + match.group(3)

    pinned = _XMP_DATE.sub(xmp_date, _PDF_DATE.sub(pdf_date, pdf))
    if len(pinned) != len(pdf):
        raise ValueError("pinning the dates changed the PDF's length")
    return pinned
