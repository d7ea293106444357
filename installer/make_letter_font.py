"""Regenerate resources/fonts/HallLetterSansSC-Regular.ttf, the CJK font the determination
letter embeds (console.reports.letter).

A subset of Noto Sans CJK SC Regular (SIL OFL 1.1, see resources/fonts/OFL.txt) to:
- GB2312 (all 6,763 hanzi of levels 1 and 2 plus its symbols, kana and full-width forms),
- printable ASCII and Latin-1, general punctuation, CJK symbols and punctuation, full-width
  forms, and every character of resources/data/situations.json.

The outlines are converted from CFF to TrueType quadratics: Qt's PDF writer embeds a font as
a TrueType subset (/FontFile2) and only knows how to cut a `glyf` font; a CFF font would be
drawn as paths. Hinting, layout tables and vertical metrics are dropped (the letter is printed
horizontally at 300 dpi), and the family is renamed "Hall Letter Sans SC" so it can never be
confused with an installed Noto font (OFL: a Modified Version under another name).

Needs fontTools, for this script only (not a runtime dependency):

    .venv/bin/pip install fonttools
    .venv/bin/python installer/make_letter_font.py [--source PATH.ttc]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUTPUT = ROOT / "resources" / "fonts" / "HallLetterSansSC-Regular.ttf"
FAMILY = "Hall Letter Sans SC"
POSTSCRIPT = "HallLetterSansSC-Regular"


def gb2312_characters() -> set[str]:
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> set[int]:
    chars = gb2312_characters()
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 (° × · etc.)
        (0x2000, 0x206F),  # general punctuation
        (0x2100, 0x214F),  # letterlike symbols (℃, №)
        (0x2460, 0x24FF),  # enclosed numbers
        (0x3000, 0x303F),  # CJK symbols and punctuation (〔〕【】、。)
        (0xFF00, 0xFFEF),  # full-width forms
    ]
    codepoints = {ord(c) for c in chars}
    for first, last in ranges:
        codepoints.update(range(first, last + 1))
    situations = ROOT / "resources" / "data" / "situations.json"
    text = json.dumps(json.loads(situations.read_text(encoding="utf-8")), ensure_ascii=False)
    codepoints.update(ord(c) for c in text)
    return codepoints


def open_sc(source: Path) -> Any:
    from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped,import-not-found,unused-ignore]

    if source.suffix.lower() == ".ttc":
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == "Noto Sans CJK SC":
                return font
        raise SystemExit(f"no Noto Sans CJK SC face in {source}")
    return TTFont(str(source))


def cff_to_glyf(font: Any) -> None:
    """CFF cubic outlines to TrueType quadratics (after fontTools' otf2ttf example)."""
    from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from fontTools.ttLib import newTable  # type: ignore[import-untyped,import-not-found,unused-ignore]

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: Any) -> None:
    name = font["name"]
    name.names = [n for n in name.names if n.nameID in (0, 1, 2, 3, 4, 5, 6, 13, 14)]
    values = {
        1: FAMILY,
        2: "Regular",
        3: f"{POSTSCRIPT};subset of Noto Sans CJK SC",
        4: FAMILY,
        6: POSTSCRIPT,
    }
    for record in list(name.names):
        if record.nameID in values:
            name.names.remove(record)
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)


def main(argv: list[str] | None = None) -> int:
    from fontTools import subset  # type: ignore[import-untyped,import-not-found,unused-ignore]

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    font = open_sc(args.source)
    options = subset.Options()
    options.layout_features = []  # no GSUB/GPOS: plain horizontal text
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x409]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted_codepoints()))
    subsetter.subset(font)
    cff_to_glyf(font)
    rename(font)
    font["head"].modified = font["head"].created  # reproducible output
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(args.output), reorderTables=True)
    size = args.output.stat().st_size
    print(f"{args.output}: {len(font.getGlyphOrder())} glyphs, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
