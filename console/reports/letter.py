"""The determination letter (道路交通事故认定书（简易程序）) as an A4 PDF, drawn with Qt's own
PDF writer, and the same page as an image.

Public API:
- `render_letter_pdf(content) -> bytes`: A4 pages at 300 dpi, the CJK font embedded.
- `render_letter_image(content, dpi=150, page=0) -> QImage`: one page of the same painting
  into a white image (previews, tests: the QR code on the last page decodes to
  `verification_url`).
- `letter_page_count(content) -> int`.
- `letter_font_family() -> str`: loads the bundled font once per process (thread-safe).

Both share `_LetterLayout`, which lays the letter out in tenths of a millimetre, so the PDF and
the image differ only in resolution. Safe on a worker thread while a Q(Gui)Application runs:
only QPdfWriter, QImage, QPainter and QTextLayout are used, never a widget.

Pagination: every paragraph is broken into lines once (QTextLayout), and the blocks — headings,
table rows, paragraph lines, the boxed mediation result — flow down the page and onto the next
when the page is full. A paragraph breaks between lines (at least two lines on each side), a
table between rows, a heading never ends a page, a party's table moves whole if it fits on the
next page. The signature block (parties, officer, unit and date where the seal goes) and the
footer with the rights notice and the QR code are never broken and end the last page; when
they do not fit under the body they start a page of their own, headed "（此页无正文）" as
signature pages are. Pages after the first repeat the title and document number; every page
is numbered "第 N 页 共 M 页" in the bottom margin. The mediation result comes before the
signatures, as on the printed form, so the parties sign under everything the letter says.

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
from abc import ABC, abstractmethod
from datetime import datetime, timedelta

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt, QUuid
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextLine,
    QTextOption,
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


class _Para:
    """A paragraph broken into lines once, at one width; pieces of it (line ranges) are drawn
    wherever the flow puts them, so a page break never re-wraps the text."""

    def __init__(self, text: str, size: int, width: float, align: Qt.AlignmentFlag) -> None:
        # QTextLayout breaks at U+2028, not at "\n".
        self.layout = QTextLayout(text.replace("\n", "\u2028"), _font(size))
        option = QTextOption(align)
        # Long Latin runs (a URL, a policy number) break anywhere rather than overflow.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.layout.setTextOption(option)
        self.lines: list[QTextLine] = []
        self.tops: list[float] = []
        top = 0.0
        self.layout.beginLayout()
        while True:
            line = self.layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, top))
            self.lines.append(line)
            self.tops.append(top)
            top += line.height()
        self.layout.endLayout()
        self.tops.append(top)  # the bottom of the last line

    def __len__(self) -> int:
        return len(self.lines)

    def height(self, start: int = 0, end: int | None = None) -> float:
        return self.tops[len(self.lines) if end is None else end] - self.tops[start]

    def fitting(self, start: int, room: float) -> int:
        """How many lines from `start` fit in `room`."""
        count = 0
        while start + count < len(self.lines) and self.height(start, start + count + 1) <= room:
            count += 1
        return count

    def draw(
        self, painter: QPainter, x: float, y: float, start: int = 0, end: int | None = None
    ) -> None:
        origin = QPointF(x, y - self.tops[start])
        for line in self.lines[start : len(self.lines) if end is None else end]:
            line.draw(painter, origin)


_ORPHANS = 2  # lines a split paragraph keeps at least at the foot of a page and at the head


class _Block(ABC):
    """Something the flow puts on a page: its height, how to draw it at a given top, and how
    to break it where the page ends.

    `keep_with_next` (a heading) moves to the next page rather than end one; `keep_together`
    (a party's table) moves whole to the next page if it fits there."""

    keep_with_next = False
    keep_together = False

    @property
    @abstractmethod
    def height(self) -> float: ...

    @property
    def min_head(self) -> float:
        """The smallest first piece a break may leave on a page."""
        return self.height

    @abstractmethod
    def paint(self, painter: QPainter, pen: QPen, y: float) -> None: ...

    def split(self, room: float, *, force: bool) -> tuple[_Block | None, _Block | None]:
        """The piece that fits in `room` and the rest (None, self when nothing may stay).
        `force` (the top of an empty page): at least one line or row, whatever it costs."""
        return (self, None) if force else (None, self)


class _Gap(_Block):
    """Vertical space; dropped at the top of a page."""

    def __init__(self, height: float) -> None:
        self._height = height

    @property
    def height(self) -> float:
        return self._height

    def paint(self, painter: QPainter, pen: QPen, y: float) -> None:
        pass


class _Text(_Block):
    """Lines `start:end` of a paragraph at `x`."""

    def __init__(
        self,
        para: _Para,
        x: float = _MARGIN,
        start: int = 0,
        end: int | None = None,
        *,
        keep_with_next: bool = False,
    ) -> None:
        self.para, self.x, self.start = para, x, start
        self.end = len(para) if end is None else end
        self.keep_with_next = keep_with_next

    @property
    def height(self) -> float:
        return self.para.height(self.start, self.end)

    @property
    def min_head(self) -> float:
        return self.para.height(self.start, min(self.end, self.start + _ORPHANS))

    def paint(self, painter: QPainter, pen: QPen, y: float) -> None:
        painter.setPen(pen)
        self.para.draw(painter, self.x, y, self.start, self.end)

    def _lines_for(self, room: float, force: bool) -> int:
        count = self.para.fitting(self.start, room)
        total = self.end - self.start
        if not force:
            if count < min(_ORPHANS, total):
                return 0
            if total - count < _ORPHANS:  # no widow at the head of the next page
                count = total - _ORPHANS
                if count < _ORPHANS:
                    return 0
        return max(count, 1) if force else count

    def _piece(self, start: int, end: int) -> _Text:
        return _Text(self.para, self.x, start, end)

    def cut(self, count: int) -> tuple[_Text, _Text]:
        """The first `count` lines and the rest."""
        cut = self.start + count
        return self._piece(self.start, cut), self._piece(cut, self.end)

    def split(self, room: float, *, force: bool) -> tuple[_Block | None, _Block | None]:
        count = min(self._lines_for(room, force), self.end - self.start)
        if count == 0:
            return None, self
        cut = self.start + count
        rest = self._piece(cut, self.end) if cut < self.end else None
        return self._piece(self.start, cut), rest


class _Boxed(_Text):
    """A paragraph in a ruled box (the mediation result); each page's piece is boxed."""

    PAD = 16.0

    @property
    def height(self) -> float:
        return super().height + 2 * self.PAD

    @property
    def min_head(self) -> float:
        return super().min_head + 2 * self.PAD

    def paint(self, painter: QPainter, pen: QPen, y: float) -> None:
        painter.setPen(pen)
        painter.drawRect(QRectF(_MARGIN, y, _CONTENT_W, self.height))
        self.para.draw(painter, self.x + self.PAD, y + self.PAD, self.start, self.end)

    def _lines_for(self, room: float, force: bool) -> int:
        return super()._lines_for(room - 2 * self.PAD, force)

    def _piece(self, start: int, end: int) -> _Text:
        return _Boxed(self.para, self.x, start, end)


class _Row:
    """One row of a bordered table: label/value cells sharing the width equally."""

    LABEL_W = 220.0
    PAD = 12.0

    def __init__(self, cells: list[tuple[str, str]], size: int) -> None:
        cell_w = _CONTENT_W / len(cells)
        value_w = cell_w - self.LABEL_W
        centre = Qt.AlignmentFlag.AlignHCenter
        left = Qt.AlignmentFlag.AlignLeft
        self.cell_w = cell_w
        self.cells = [
            (
                _Para(label, size, self.LABEL_W - self.PAD, centre),
                _Para(value or "—", size, value_w - 2 * self.PAD, left),
            )
            for label, value in cells
        ]
        self.height = (
            max(max(label.height(), value.height()) for label, value in self.cells) + 2 * self.PAD
        )

    def paint(self, painter: QPainter, pen: QPen, y: float) -> None:
        for i, (label, value) in enumerate(self.cells):
            x = _MARGIN + i * self.cell_w
            label_rect = QRectF(x, y, self.LABEL_W, self.height)
            value_rect = QRectF(x + self.LABEL_W, y, self.cell_w - self.LABEL_W, self.height)
            painter.fillRect(label_rect, QColor(238, 238, 238))
            painter.setPen(pen)
            painter.drawRect(label_rect)
            painter.drawRect(value_rect)
            label.draw(painter, x + self.PAD / 2, y + (self.height - label.height()) / 2)
            value.draw(painter, value_rect.x() + self.PAD, y + (self.height - value.height()) / 2)


class _Table(_Block):
    """Rows of a table; breaks between rows, never inside one."""

    def __init__(self, rows: list[_Row], *, keep_together: bool = False) -> None:
        self.rows = rows
        self.keep_together = keep_together

    @property
    def height(self) -> float:
        return sum(row.height for row in self.rows)

    @property
    def min_head(self) -> float:
        # A table kept together leads with all of it: its heading must not stay behind.
        return self.height if self.keep_together else self.rows[0].height

    def paint(self, painter: QPainter, pen: QPen, y: float) -> None:
        for row in self.rows:
            row.paint(painter, pen, y)
            y += row.height

    def split(self, room: float, *, force: bool) -> tuple[_Block | None, _Block | None]:
        count, used = 0, 0.0
        while count < len(self.rows) and used + self.rows[count].height <= room:
            used += self.rows[count].height
            count += 1
        if force:
            count = max(count, 1)
        if count == 0:
            return None, self
        rest = _Table(self.rows[count:]) if count < len(self.rows) else None
        return _Table(self.rows[:count]), rest


class _Stack(_Block):
    """Pieces at fixed offsets, never broken: the signature and seal block."""

    keep_together = True

    def __init__(self, pieces: list[tuple[float, _Block]]) -> None:
        self.pieces = pieces

    @property
    def height(self) -> float:
        return max(offset + block.height for offset, block in self.pieces)

    def paint(self, painter: QPainter, pen: QPen, y: float) -> None:
        for offset, block in self.pieces:
            block.paint(painter, pen, y + offset)


_Page = list[tuple[_Block, float]]


class _Flow:
    """Puts blocks on pages, top to bottom, breaking where a page is full."""

    def __init__(self, first_top: float, next_top: float, bottom: float) -> None:
        self.pages: list[_Page] = [[]]
        self.y = first_top
        self.next_top = next_top
        self.bottom = bottom

    @property
    def at_top(self) -> bool:
        return not self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.next_top

    def place(self, block: _Block) -> None:
        self.pages[-1].append((block, self.y))
        self.y += block.height

    def run(self, blocks: list[_Block]) -> None:
        pending = list(reversed(blocks))  # a stack: the next block is pending[-1]
        while pending:
            block = pending.pop()
            if isinstance(block, _Gap):
                if not self.at_top:
                    self.place(block)
                continue
            room = self.bottom - self.y
            need = block.height
            if block.keep_with_next:
                need += self._follower_head(pending)
            if need <= room:
                self.place(block)
                continue
            if not self.at_top and (
                block.keep_with_next
                or (block.keep_together and block.height <= self.bottom - self.next_top)
            ):
                self.new_page()
                pending.append(block)
                continue
            head, rest = block.split(room, force=self.at_top)
            if head is None:
                self.new_page()
                pending.append(block)
                continue
            self.place(head)
            if rest is not None:
                pending.append(rest)
                self.new_page()

    def carry_last_lines(self) -> list[_Block]:
        """Take the body's last lines (at least two, with a heading that leads into them) off
        the current page, to start the next one. A signature page must carry text: an
        official document's seal never stands on a page of its own (GB/T 9704-2012 7.3.5.4).
        Returns the blocks to place there, in order; empty when nothing can be moved without
        emptying this page."""
        page = self.pages[-1]
        moved: list[_Block] = []
        lines = 0
        while lines < _ORPHANS:
            while page and isinstance(page[-1][0], _Gap):
                page.pop()
            if not page:
                break
            block, y = page[-1]
            others = any(not isinstance(b, _Gap) for b, _ in page[:-1])
            if not isinstance(block, _Text):
                if not others:
                    break
                page.pop()
                moved.insert(0, block)
                continue
            count = block.end - block.start
            want = _ORPHANS - lines
            stays = count - want
            if stays >= _ORPHANS or (stays >= 1 and not others):
                head, tail = block.cut(stays)
                page[-1] = (head, y)
                moved.insert(0, tail)
                break
            if not others:
                break
            page.pop()
            moved.insert(0, block)
            lines += count
            while page and (page[-1][0].keep_with_next or isinstance(page[-1][0], _Gap)):
                if page[-1][0].keep_with_next:
                    moved.insert(0, page.pop()[0])
                    break
                page.pop()
        return moved

    @staticmethod
    def _follower_head(pending: list[_Block]) -> float:
        """The gaps up to the next real block and that block's smallest first piece."""
        extra = 0.0
        for block in reversed(pending):
            if not isinstance(block, _Gap):
                return extra + block.min_head
            extra += block.height
        return 0.0


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


_LEFT = Qt.AlignmentFlag.AlignLeft
_RIGHT = Qt.AlignmentFlag.AlignRight
_CENTRE = Qt.AlignmentFlag.AlignHCenter
_BODY_BOTTOM = float(_PAGE_H - _MARGIN)
_RUNNING_HEAD_SIZE = 28
_RUNNING_HEAD_H = 80.0  # the running head and its rule, above the flow on pages 2+
_FOLIO_SIZE = 28
_FOLIO_TOP = _BODY_BOTTOM + 50  # in the bottom margin, below everything the flow places
_NOTICE_SIZE = 28
_CODE_SIZE = 30
_FOOTER_GAP = 40.0  # between the signature block and the rule above the notice


def _doc_no(content: LetterContent) -> str:
    if content.version <= 1:
        return content.doc_no
    return f"{content.doc_no}（第{content.version}版）"


def _para(text: str, size: int, align: Qt.AlignmentFlag = _LEFT) -> _Para:
    return _Para(text, size, _CONTENT_W, align)


def _body(content: LetterContent) -> list[_Block]:
    """Everything from the heading to the mediation result, in reading order."""
    blocks: list[_Block] = [
        _Text(_para(content.issuing_unit, 44, _CENTRE)),
        _Gap(20),
        _Text(_para(content.title, 62, _CENTRE)),
        _Gap(24),
        _Text(_para(_doc_no(content), 36, _RIGHT)),
        _Gap(30),
        _Table(
            [
                _Row(
                    [("事故时间", _date_time(content.occurred_at)), ("天气", content.weather)], 32
                ),
                _Row([("事故地点", content.place)], 32),
                _Row([("坐标", _coordinates(content)), ("事故形态", content.accident_form)], 32),
                _Row([("碰撞部位", content.collision_parts)], 32),
            ],
            keep_together=True,
        ),
        _Gap(24),
    ]
    for party in content.parties:
        blocks += [
            _Text(_para(f"当事人{party.letter}", 38), keep_with_next=True),
            _Gap(6),
            _Table(
                [
                    _Row([("姓名", party.name), ("证件号码", party.id_or_licence)], 32),
                    _Row([("联系电话", party.phone), ("交通方式", party.travel_mode)], 32),
                    _Row(
                        [
                            ("号牌", f"{party.plate_type} {party.plate_no}"),
                            ("保险单号", party.policy_no),
                        ],
                        32,
                    ),
                    _Row([("保险公司", party.insurer)], 32),
                ],
                keep_together=True,
            ),
            _Gap(20),
        ]
    blocks += [
        _Text(_para("交通事故事实及责任：", 38), keep_with_next=True),
        _Gap(6),
        _Text(_para(content.facts, 34)),
        _Gap(6),
    ]
    for party in content.parties:
        blocks += [_Text(_para(_liability(party), 34)), _Gap(6)]
    if content.mediation:
        blocks += [
            _Gap(14),
            _Text(_para("损害赔偿调解结果：", 38), keep_with_next=True),
            _Gap(6),
            _Boxed(_Para(content.mediation, 32, _CONTENT_W - 2 * _Boxed.PAD, _LEFT)),
        ]
    return blocks


def _signatures(content: LetterContent) -> _Stack:
    """Who signed, the officer, and the issuing unit and date where the seal goes."""
    signatures = "　　".join(f"当事人{p.letter} {p.name}（{p.signature}）" for p in content.parties)
    signed = _Text(_para(f"当事人签名：{signatures}", 34))
    officer = _Text(_para(f"交通警察：{content.officer_name}　　警号：{content.officer_badge}", 34))
    unit = _Text(_para(content.issuing_unit, 34, _RIGHT))
    date = _Text(_para(_date(content.issued_at), 34, _RIGHT))
    row = signed.height + 12
    return _Stack([(0, signed), (row, officer), (row, unit), (row + unit.height + 4, date)])


class _Footer:
    """The last page's foot: the rights notice on the left, the verification QR code and its
    code on the right, both ending at the bottom margin."""

    def __init__(self, content: LetterContent) -> None:
        self.url = content.verification_url
        self.code = _Para(content.verification_code, _CODE_SIZE, _QR_SIZE + 100, _CENTRE)
        self.qr_top = _BODY_BOTTOM - self.code.height() - _QR_SIZE
        self.notice_w = _CONTENT_W - _QR_SIZE - 60
        notice = (
            f"{content.rights_notice}\n扫描右侧二维码或访问 {content.verification_url} "
            "核验本认定书。"
        )
        self.notice = _Para(notice, _NOTICE_SIZE, self.notice_w, _LEFT)
        self.notice_top = _BODY_BOTTOM - self.notice.height()
        self.top = min(self.qr_top, self.notice_top - 20)

    def paint(self, painter: QPainter, pen: QPen) -> None:
        qr_rect = QRectF(_PAGE_W - _MARGIN - _QR_SIZE, self.qr_top, _QR_SIZE, _QR_SIZE)
        _paint_qr(painter, qr_rect, self.url)
        painter.setPen(pen)
        self.code.draw(painter, qr_rect.x() - 50, qr_rect.bottom())
        rule_y = self.notice_top - 20
        painter.drawLine(QPointF(_MARGIN, rule_y), QPointF(_MARGIN + self.notice_w, rule_y))
        self.notice.draw(painter, _MARGIN, self.notice_top)


class _LetterLayout:
    """The whole letter cut into pages: the body flows over as many pages as it needs; the
    signature block and the footer with the QR code stay whole, together, on the last page.
    Pages after the first repeat the title and document number at the top; every page says
    "第 N 页 共 M 页" at the bottom."""

    def __init__(self, content: LetterContent) -> None:
        self.title = content.title
        self.doc_no = _doc_no(content)
        self.footer = _Footer(content)
        flow = _Flow(_MARGIN, _MARGIN + _RUNNING_HEAD_H, _BODY_BOTTOM)
        flow.run(_body(content))
        signatures = _signatures(content)
        last_bottom = self.footer.top - _FOOTER_GAP
        gap = 0.0 if flow.at_top else 30.0
        if flow.y + gap + signatures.height > last_bottom:
            carried = flow.carry_last_lines()
            flow.new_page()
            for block in carried:
                if not (flow.at_top and isinstance(block, _Gap)):
                    flow.place(block)
            if flow.at_top:  # nothing could come along: say so, as signature pages do
                flow.place(_Text(_para("（此页无正文）", 34, _CENTRE)))
            gap = 30.0
        flow.y += gap
        flow.place(signatures)
        self.pages = flow.pages

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def paint(self, painter: QPainter, index: int) -> None:
        """Draw page `index` (0-based); logical coordinates are A4 in tenths of a millimetre."""
        pen = QPen(QColor(0, 0, 0))
        pen.setWidthF(3.0)  # 0.3 mm
        pen.setCosmetic(False)
        painter.setPen(pen)
        top = float(_MARGIN)
        if index > 0:
            self._paint_running_head(painter, pen)
            top += _RUNNING_HEAD_H
        last = index == len(self.pages) - 1
        bottom = self.footer.top if last else _BODY_BOTTOM
        painter.save()
        # Nothing the flow places may reach the margin, whatever an over-long row holds.
        painter.setClipRect(QRectF(0, top - 10, _PAGE_W, bottom - top + 12))
        for block, y in self.pages[index]:
            block.paint(painter, pen, y)
        painter.restore()
        painter.setPen(pen)
        if last:
            self.footer.paint(painter, pen)
        folio = _Para(
            f"第 {index + 1} 页 共 {len(self.pages)} 页", _FOLIO_SIZE, _CONTENT_W, _CENTRE
        )
        folio.draw(painter, _MARGIN, _FOLIO_TOP)

    def _paint_running_head(self, painter: QPainter, pen: QPen) -> None:
        half = _CONTENT_W / 2
        title = _Para(self.title, _RUNNING_HEAD_SIZE, half, _LEFT)
        doc_no = _Para(self.doc_no, _RUNNING_HEAD_SIZE, half, _RIGHT)
        title.draw(painter, _MARGIN, _MARGIN)
        doc_no.draw(painter, _MARGIN + half, _MARGIN)
        rule_y = _MARGIN + max(title.height(), doc_no.height()) + 12
        painter.drawLine(QPointF(_MARGIN, rule_y), QPointF(_PAGE_W - _MARGIN, rule_y))


def _begin(painter: QPainter, device_width_px: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    scale = device_width_px / _PAGE_W
    painter.scale(scale, scale)


def document_uuid(content: LetterContent) -> uuid.UUID:
    """The PDF's document ID: a function of what the letter says."""
    return uuid.uuid5(_UUID_NAMESPACE, content_digest(content))


def render_letter_pdf(content: LetterContent) -> bytes:
    """The letter as an A4 PDF of as many pages as it needs; equal content gives identical
    bytes."""
    letter_font_family()
    layout = _LetterLayout(content)
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
        for index in range(layout.page_count):
            if index > 0 and not writer.newPage():
                raise RuntimeError("the PDF writer refused a new page")
            painter.save()
            layout.paint(painter, index)
            painter.restore()
    finally:
        painter.end()
    buffer.close()
    return _pin_dates(bytes(data.data()), content.issued_at)


def letter_page_count(content: LetterContent) -> int:
    """How many pages the letter takes."""
    letter_font_family()
    return _LetterLayout(content).page_count


def render_letter_image(content: LetterContent, dpi: int = 150, *, page: int = 0) -> QImage:
    """Page `page` (0-based) of the same letter as a white RGB image at `dpi`."""
    letter_font_family()
    layout = _LetterLayout(content)
    if not 0 <= page < layout.page_count:
        raise IndexError(f"the letter has {layout.page_count} pages, not page {page}")
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
        layout.paint(painter, page)
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
