"""Start links that pre-fill the person's commune: Telegram `https://t.me/<bot>?start=c<code>` (the
bot receives `/start c<code>`), the web chat's `/chat?c=<code>`. Posters and the outreach kit make
them (`buocmoi outreach links`); the engine and the web chat read them with `commune_of`."""

from __future__ import annotations

import re

from content.communes.official import NewWard, ward
from content.communes.resolver import default_province

PREFIX = "c"
_CODE = re.compile(r"^[0-9]{5}$")


def start_payload(code: str) -> str:
    """The `start` parameter of a Telegram deep link for a commune (`c31684`)."""
    return PREFIX + code


def commune_of(code: str, province: int | None = None) -> NewWard | None:
    """The commune of the served province with this official code (five digits), else None."""
    code = code.strip()
    if not _CODE.match(code):
        return None
    found = ward(code)
    home = province if province is not None else default_province()
    return found if found is not None and found.province_code == home else None


def commune_of_payload(payload: str, province: int | None = None) -> NewWard | None:
    """The commune named by a start payload (`c31684`), else None (any other payload)."""
    payload = payload.strip()
    if not payload.startswith(PREFIX):
        return None
    return commune_of(payload[len(PREFIX) :], province)
