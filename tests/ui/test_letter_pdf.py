"""The determination letter PDF: deterministic bytes, embedded font, a QR code that decodes."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from console.reports.letter import render_letter_image, render_letter_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
from letter_preview import sample_letter


def _grey(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, :width].copy()


def test_equal_content_gives_identical_bytes(qapp: QApplication) -> None:
    first = render_letter_pdf(sample_letter())
    time.sleep(1.1)
    second = render_letter_pdf(sample_letter())
    assert first == second
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
    started = time.perf_counter()
    render_letter_pdf(content)
    elapsed = time.perf_counter() - started
    print(f"render_letter_pdf: {elapsed * 1000:.0f} ms")
    assert elapsed < 2.0
    grey = _grey(render_letter_image(content, dpi=200))
    height, width = grey.shape
    corner = grey[height * 3 // 4 :, width * 3 // 4 :]  # the QR code sits bottom right
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(corner)
    if not decoded:
        decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(grey)
    assert decoded == content.verification_url
