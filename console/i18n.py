"""Loading translations: Qt's own first, then Hall Console's. Chinese is the default.

Sources are English `tr()` strings; `resources/translations/hall_console_zh_CN.ts` holds the
Chinese, compiled to `.qm` at install or build time (`installer/translations.py build`). If the
compiled file is missing or older than its source (a developer just edited the .ts), it is
compiled on the spot when the tool is available.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from console.paths import resources_dir

log = logging.getLogger("console.ui")

DOMAIN = "hall_console"
LANGUAGES = ("zh_CN", "en")


def translations_dir() -> Path:
    return resources_dir() / "translations"


def compiled(language: str) -> Path | None:
    """The .qm for `language`, compiling it from the .ts first if that is newer."""
    ts = translations_dir() / f"{DOMAIN}_{language}.ts"
    qm = ts.with_suffix(".qm")
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        lrelease = shutil.which("pyside6-lrelease") or _beside_python("pyside6-lrelease")
        if lrelease:
            done = subprocess.run(
                [lrelease, "-silent", str(ts), "-qm", str(qm)], capture_output=True, check=False
            )
            if done.returncode != 0:
                log.warning("lrelease failed for %s: %s", ts, done.stderr.decode(errors="replace"))
    return qm if qm.exists() else None


def _beside_python(name: str) -> str | None:
    import sys

    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else None


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's and our translators for `language`; English needs none of ours."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {LANGUAGES}")
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    qt = QTranslator(app)
    if qt.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(qt)
        installed.append(qt)
    ours = QTranslator(app)
    qm = compiled(language)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no %s translation found in %s; showing English", language, translations_dir())
    return installed
