"""Gettext catalogs (Babel) for user-facing strings that are not content.

Vietnamese is the source language: message ids are the Vietnamese text, so a string missing from
the `en` or `km` catalog falls back to Vietnamese. Catalogs are read from `locales/<lang>/LC_MESSAGES/`;
a compiled `.mo` is used when it is up to date, otherwise the `.po` is compiled in memory, so a fresh
checkout speaks every language even before `scripts/i18n.sh compile`.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from content.localized import parse_lang

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"

Translate = Callable[[str], str]


@lru_cache(maxsize=8)
def translations(lang: str) -> gettext.NullTranslations:
    return load_catalog(parse_lang(lang), DOMAIN)


def load_catalog(lang: str, domain: str) -> gettext.NullTranslations:
    """The `domain` catalog of `lang` (already a known language): the compiled `.mo` when it is up
    to date, else the `.po` compiled in memory, else no translation (the Vietnamese ids)."""
    base = LOCALES_DIR / lang / "LC_MESSAGES"
    po_path, mo_path = base / f"{domain}.po", base / f"{domain}.mo"
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


def translator(lang: str | None) -> Translate:
    """`_` for one language: `_ = translator("km"); _("Xin chào")`."""
    return translations(parse_lang(lang)).gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message
