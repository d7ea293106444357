"""Translation tool chain: English tr() sources → resources/translations/*.ts → .qm.

    python installer/translations.py update        # lupdate: add new source strings to the .ts
    python installer/translations.py fill F.json   # merge {"context|source": "译文"} into zh_CN
    python installer/translations.py build         # lrelease: .ts → .qm (not kept in git)
    python installer/translations.py check         # fail if any zh_CN message is missing

`check` is what the test suite runs: it extracts the current sources into a copy of the .ts
and fails if any message is new, unfinished or empty.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "console"
TS_DIR = ROOT / "resources" / "translations"
DOMAIN = "hall_console"
TRANSLATED = ("zh_CN",)


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        raise SystemExit(f"{name} not found; install the project first")
    return found


def ts_path(language: str) -> Path:
    return TS_DIR / f"{DOMAIN}_{language}.ts"


def python_sources() -> list[str]:
    return sorted(str(p) for p in SOURCES.rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
         *python_sources(), "-ts", str(ts)],
        check=True,
    )  # fmt: skip


def problems(ts: Path) -> list[str]:
    """Every message in `ts` that a Chinese user would see untranslated."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "missing"
            text = (translation.text or "") if translation is not None else ""
            forms = translation.findall("numerusform") if translation is not None else []
            if message.get("numerus") == "yes":
                # Plural messages keep their text in <numerusform> children, one per form.
                text = "" if not forms or any(not (f.text or "").strip() for f in forms) else "ok"
            if kind or not text.strip():
                found.append(f"{name}: {source!r} ({kind or 'empty'})")
    return found


def check() -> list[str]:
    """Problems with the committed zh_CN file against the current sources."""
    out: list[str] = []
    for language in TRANSLATED:
        committed = ts_path(language)
        if not committed.exists():
            return [f"{committed} is missing"]
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / committed.name
            shutil.copy(committed, copy)
            lupdate(copy)
            out.extend(problems(copy))
    return out


def fill(mapping_file: Path, language: str = "zh_CN") -> int:
    """Merge translations keyed "context|source" (or just "source") into the .ts."""
    mapping: dict[str, str] = json.loads(mapping_file.read_text(encoding="utf-8"))
    ts = ts_path(language)
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            text = mapping.get(f"{name}|{source}", mapping.get(source))
            if text is None:
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            if message.get("numerus") == "yes":
                # Chinese has one plural form; lrelease rejects bare text in a plural message.
                for form in list(translation):
                    translation.remove(form)
                translation.text = None
                ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = text
            translation.attrib.pop("type", None)
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def build() -> None:
    for ts in sorted(TS_DIR.glob("*.ts")):
        subprocess.run(
            [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
            check=True,
        )


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        TS_DIR.mkdir(parents=True, exist_ok=True)
        for language in TRANSLATED:
            lupdate(ts_path(language))
        return 0
    if command == "fill" and len(argv) == 2:
        print(f"filled {fill(Path(argv[1]))} messages")
        return 0
    if command == "build":
        build()
        return 0
    if command == "check":
        found = check()
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
