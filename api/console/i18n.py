"""The console's own gettext domain (`console`): Vietnamese message ids, an English catalog.
Khmer falls back to Vietnamese here (staff work in Vietnamese; the console's km catalog can come
later without code changes). Same Babel workflow as the bot: scripts/i18n.sh."""

from __future__ import annotations

import gettext
import io
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from content.i18n import LOCALES_DIR

DOMAIN = "console"
LANGS = ("vi", "en")


def console_lang(value: str | None) -> str:
    return value if value in LANGS else "vi"


@lru_cache(maxsize=4)
def translations(lang: str) -> gettext.NullTranslations:
    base = LOCALES_DIR / console_lang(lang) / "LC_MESSAGES"
    po_path, mo_path = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def T_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message
