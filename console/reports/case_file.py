"""The exported case file (issue 9) as an A4 PDF: summary, parties, timeline and the evidence
list with each item's SHA-256, drawn with Qt's own PDF writer.

Laid out as a QTextDocument (tables paginate by themselves) in the letter's bundled CJK font
(`console.reports.letter.letter_font_family`, embedded as a subset), so the file reads the same
on every machine. Safe on a worker thread while a Q(Gui)Application runs: no widgets.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from console.domain.case_file import CaseFileContent
from console.domain.deadlines import to_local
from console.reports.letter import PDF_CREATOR, letter_font_family

__all__ = ["case_file_html", "render_case_file_pdf"]

_DPI = 300
_MARGIN_MM = 15.0


def _when(moment: datetime) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M:%S}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def case_file_html(content: CaseFileContent) -> str:
    """The case file as the HTML the document is laid out from."""
    parts = [
        f"<h2 align='center'>{escape(content.title)}</h2>",
        f"<p align='center'>{escape(content.case_no)}</p>",
        "<h3>一、案件概要</h3>",
        _table(["项目", "内容"], [[label, value] for label, value in content.summary]),
        "<h3>二、当事人</h3>",
        _table(
            ["当事人", "姓名", "号牌", "电话", "证件号码", "保险公司", "责任"],
            [
                [p.letter, p.name, p.plate_no, p.phone, p.id_or_licence, p.insurer, p.grade]
                for p in content.parties
            ],
        ),
        "<h3>三、处理经过</h3>",
        _table(
            ["时间", "事项", "经办人", "席位"],
            [[_when(e.at), e.what, e.who, e.seat] for e in content.timeline],
        ),
        "<h3>四、证据清单</h3>",
        _table(
            ["序号", "类别", "名称", "时间", "大小（字节）", "SHA-256"],
            [
                [str(i), e.kind, e.label, _when(e.at), str(e.size), e.sha256]
                for i, e in enumerate(content.evidence, start=1)
            ],
        ),
        f"<p>导出：{escape(content.exported_by)}（{escape(content.seat)}），"
        f"{escape(_when(content.exported_at))}</p>",
    ]
    return "".join(parts)


def render_case_file_pdf(content: CaseFileContent) -> bytes:
    """The case file as an A4 PDF of as many pages as it needs."""
    family = letter_font_family()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM, _MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setCreator(PDF_CREATOR)
    writer.setTitle(f"{content.title} {content.case_no}")
    document = QTextDocument()
    font = QFont(family)
    font.setPointSizeF(8.0)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    document.setDefaultFont(font)
    document.setHtml(case_file_html(content))
    document.print_(writer)
    buffer.close()
    return bytes(data.data())
