"""An address in another province ("quan 1 sai gon", "ha noi", "tp hcm"): which province it names.

The commune resolver (content/communes, on the vietnamadminunits data) knows every province's
official names and old ones; people also use nicknames it does not list, added here."""

from __future__ import annotations

from bot.understanding.words import folded
from content.communes.official import province_name
from content.communes.resolver import default_province, other_province

_NICKNAMES = {"sai gon": 79, "saigon": 79, "sg": 79, "thanh pho hcm": 79, "hcm": 79, "tphcm": 79}


def elsewhere(text: str, home: int | None = None) -> str | None:
    """The name of the other province the text names, or None (the home province, or none named)."""
    home_code = home if home is not None else default_province()
    code = other_province(text, home_code)
    if code is None:
        padded = folded(text)
        code = next((c for nick, c in _NICKNAMES.items() if f" {nick} " in padded), None)
    if code is None or code == home_code:
        return None
    return province_name(code)
