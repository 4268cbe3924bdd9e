"""The console's own gettext domain (`console`): Vietnamese message ids, an English catalog.
Khmer falls back to Vietnamese here (staff work in Vietnamese; the console's km catalog can come
later without code changes). Same Babel workflow as the bot: scripts/i18n.sh."""

from __future__ import annotations

import gettext
from functools import lru_cache

from content.i18n import load_catalog

DOMAIN = "console"
LANGS = ("vi", "en")


def console_lang(value: str | None) -> str:
    return value if value in LANGS else "vi"


@lru_cache(maxsize=4)
def translations(lang: str) -> gettext.NullTranslations:
    return load_catalog(console_lang(lang), DOMAIN)


def T_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message
