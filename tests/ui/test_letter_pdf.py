"""The determination letter PDF: deterministic bytes, embedded font, a QR code that decodes,
and a long letter that flows onto more pages instead of being clipped."""

from __future__ import annotations

import dataclasses
import re
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from console.domain.letter import LetterContent
from console.reports.letter import letter_page_count, render_letter_image, render_letter_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from letter_preview import sample_letter

A4_MM = 297.0
BODY_BOTTOM_MM = 279.0  # 18 mm bottom margin; only the folio is printed below it
FOLIO_TOP_MM = 284.0
FOLIO_BOTTOM_MM = 289.0


def _grey(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, :width].copy()


def _narrative(length: int) -> str:
    """`length` characters of facts as officers write them, numbered so none repeats exactly."""
    parts: list[str] = []
    n = 0
    while sum(map(len, parts)) < length:
        n += 1
        parts.append(
            f"第{n}段：王志强驾驶鲁E·5K267号小型轿车沿西四路由南向北行驶至府前大街交叉口北"
            f"{n}米处时，追撞前方等候通行的李秀英驾驶的鲁E·D3M90号小型轿车尾部，造成两车"
            "损坏的道路交通事故，无人员受伤。"
        )
    return "".join(parts)[:length]


def long_letter(length: int = 3000) -> LetterContent:
    return dataclasses.replace(sample_letter(), facts=_narrative(length))


def three_long_parties() -> LetterContent:
    """Three parties with long names and insurers, long faults, and a long mediation."""
    content = sample_letter()
    first, second = content.parties
    third = dataclasses.replace(
        second,
        letter="丙",
        name="欧阳长名字测试人员张三李四王五赵六",
        insurer="中国太平洋财产保险股份有限公司山东分公司东营中心支公司营业部第三营业网点" * 2,
        fault="驾驶非机动车未按规定车道行驶，违反《中华人民共和国道路交通安全法》第五十七条"
        "以及《中华人民共和国道路交通安全法实施条例》第六十八条" * 3,
        grade="次要",
    )
    return dataclasses.replace(
        content,
        parties=(dataclasses.replace(first, name="王志强" * 8), second, third),
        place="东营市东营区西四路与府前大街交叉口北50米" * 6,
        facts=_narrative(1200),
        mediation=(content.mediation or "") * 14,
    )


class _Pdf:
    """A rendered PDF opened with QtPdf (PDFium): pages, their text, their images."""

    def __init__(self, pdf: bytes) -> None:
        self._buffer = QBuffer()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        assert self.document.status() is QPdfDocument.Status.Ready

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def text(self, page: int) -> str:
        return self.document.getAllText(page).text()

    def grey(self, page: int, dpi: int = 100) -> np.ndarray:
        size = QSize(round(210 / 25.4 * dpi), round(A4_MM / 25.4 * dpi))
        page_image = QImage(size, QImage.Format.Format_RGB32)
        page_image.fill(QColor(255, 255, 255))  # PDFium renders onto transparency
        painter = QPainter(page_image)
        painter.drawImage(0, 0, self.document.render(page, size))
        painter.end()
        return _grey(page_image)


def _page_objects(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_equal_content_gives_identical_bytes(qapp: QApplication) -> None:
    first = render_letter_pdf(sample_letter())
    first_long = render_letter_pdf(long_letter())
    time.sleep(1.1)
    assert render_letter_pdf(sample_letter()) == first
    assert render_letter_pdf(long_letter()) == first_long, "a two-page reprint is identical"
    assert b"(D:20260503070241Z)" in first or b"(D:20260503150241+08'00')" in first
    assert b'xmp:CreateDate="2026-05-03T15:02:41+08:00"' in first


def test_different_content_gives_different_bytes(qapp: QApplication) -> None:
    content = sample_letter()
    other = dataclasses.replace(content, weather="小雨")
    assert render_letter_pdf(content) != render_letter_pdf(other)


def test_pdf_embeds_the_bundled_font(qapp: QApplication) -> None:
    pdf = render_letter_pdf(sample_letter())
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf
    assert b"HallLetterSansSC-Regular" in pdf


def test_qr_code_in_the_image_decodes_to_the_verification_url(qapp: QApplication) -> None:
    content = sample_letter()
    render_letter_pdf(content)  # the font loads once
    started = time.perf_counter()
    render_letter_pdf(content)
    one_page = time.perf_counter() - started
    long = long_letter()
    started = time.perf_counter()
    render_letter_pdf(long)
    two_pages = time.perf_counter() - started
    print(f"render_letter_pdf: 1 page {one_page * 1000:.0f} ms, 2 pages {two_pages * 1000:.0f} ms")
    assert one_page < 2.0 and two_pages < 2.0
    for letter in (content, long):
        last = letter_page_count(letter) - 1
        grey = _grey(render_letter_image(letter, dpi=200, page=last))
        height, width = grey.shape
        corner = grey[height * 3 // 4 :, width * 3 // 4 :]  # the QR code sits bottom right
        decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(corner)
        if not decoded:
            decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(grey)
        assert decoded == letter.verification_url


def test_a_short_letter_stays_on_one_page(qapp: QApplication) -> None:
    content = sample_letter()
    pdf = render_letter_pdf(content)
    opened = _Pdf(pdf)
    assert opened.pages == 1 == _page_objects(pdf) == letter_page_count(content)
    text = opened.text(0)
    assert "第 1 页 共 1 页" in text
    assert content.verification_code in text and "当事人签名" in text


def test_a_long_narrative_flows_onto_a_second_page_without_losing_a_character(
    qapp: QApplication,
) -> None:
    content = long_letter(3000)
    pdf = render_letter_pdf(content)
    opened = _Pdf(pdf)
    pages = opened.pages
    assert pages >= 2
    assert _page_objects(pdf) == pages == letter_page_count(content)
    texts = [opened.text(page) for page in range(pages)]
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页 共 {pages} 页" in text
        assert content.doc_no in text, "every page names the letter it belongs to"
        last = number == pages
        assert (content.verification_code in text) is last, "the QR code ends the last page"
        assert ("当事人签名" in text) is last, "the signatures stand on the last page"
        assert (content.issuing_unit in text) is (number == 1 or last)
    running_head = _flat(f"{content.title} {content.doc_no}")
    body = "".join(
        _flat(text).replace(running_head, "", 1 if number else 0)
        for number, text in enumerate(texts)
    )
    body = re.sub(r"第\d+页共\d+页", "", body)
    assert _flat(content.facts) in body, "the narrative reads on across the page break"


def test_nothing_but_the_folio_is_drawn_below_the_bottom_margin(qapp: QApplication) -> None:
    for content in (long_letter(3000), long_letter(7000), three_long_parties()):
        opened = _Pdf(render_letter_pdf(content))
        assert opened.pages >= 2
        for page in range(opened.pages):
            grey = opened.grey(page)
            rows = grey.shape[0] / A4_MM
            below_body = grey[round((BODY_BOTTOM_MM + 0.5) * rows) : round(FOLIO_TOP_MM * rows)]
            below_folio = grey[round(FOLIO_BOTTOM_MM * rows) :]
            assert below_body.min() > 200, f"page {page + 1}: ink under the body"
            assert below_folio.min() > 200, f"page {page + 1}: ink under the folio"
            folio = grey[round(FOLIO_TOP_MM * rows) : round(FOLIO_BOTTOM_MM * rows)]
            assert folio.min() < 100, f"page {page + 1} has its number"


def test_three_parties_with_long_texts_keep_the_signatures_whole_on_the_last_page(
    qapp: QApplication,
) -> None:
    content = three_long_parties()
    opened = _Pdf(render_letter_pdf(content))
    assert opened.pages >= 2
    last = _flat(opened.text(opened.pages - 1))
    for party in content.parties:
        assert _flat(f"当事人{party.letter} {party.name}（{party.signature}）") in last
    assert _flat(f"交通警察：{content.officer_name}") in last
    assert content.verification_code in last
    everything = "".join(_flat(opened.text(p)) for p in range(opened.pages))
    assert _flat(content.mediation or "")[-40:] in everything
    assert everything.count("损害赔偿调解结果") == 1
