"""Every string of the staff console (templates and `T_` in its Python) has its English
translation: the console is Vietnamese with English as the second language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_every_console_string_is_translated_to_english(tmp_path: Path) -> None:
    pot = tmp_path / "console.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel-console.cfg",
            "-k",
            "T_",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "locales/en/LC_MESSAGES/console.po").open("rb") as handle:
        english = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(str(i) for i in wanted if not english.get(i))
    assert not missing, missing
