"""Load what the first conversations would otherwise wait for: the translations, the FAQ matcher,
the screening texts, the commune index, number formats. Run once at start, off the event loop."""

from __future__ import annotations

import logging
import time

from babel.numbers import format_decimal

from bot.engine.services import Services
from content.i18n import translator
from content.localized import LANGS
from content.screening import ScreeningResult, evaluate

log = logging.getLogger(__name__)

_SAMPLE = {
    "applicant": "person",
    "release_status": "completed",
    "has_certificate": "yes",
    "release_date": "2024-03",
    "purpose": "production",
    "same_purpose_debt": "no",
}


def warm_up(services: Services) -> None:
    started = time.monotonic()
    services.faq.matcher.match("lai suat bao nhieu")
    services.communes("xa dai tam my xuyen", services.province)
    result = evaluate(_SAMPLE, services.today(), services.content.screening)
    for lang in LANGS:
        translator(lang)("✖ Hủy")
        format_decimal(1_000_000, locale=lang)
        if isinstance(result, ScreeningResult):
            result.to_json(lang)
    log.info("bot warmed up", extra={"seconds": round(time.monotonic() - started, 2)})
