"""Vietnamese phone numbers: accept how people write them, store one form (0xxxxxxxxx…).

Since the 2018 renumbering, mobile numbers have 10 digits: 0 followed by 3, 5, 7, 8 or 9 and eight more
digits. Since the 2017 area-code change, fixed lines have 11 digits: 02, the rest of the area code and
the subscriber number (0299 for the former Sóc Trăng, 0292 Cần Thơ, 024 Hà Nội, 028 Hồ Chí Minh).
People also write +84 / 84 instead of the leading 0, and group digits with spaces, dots or dashes.
A person gives a mobile number; a business may give its office's fixed line.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")


def _digits(raw: str) -> str:
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    return digits


def normalise_mobile(raw: str) -> str | None:
    """The number as 0xxxxxxxxx, or None if it is not a Vietnamese mobile number."""
    digits = _digits(raw)
    return digits if _MOBILE.fullmatch(digits) else None


def normalise_landline(raw: str) -> str | None:
    """The number as 02xxxxxxxxx, or None if it is not a Vietnamese fixed line."""
    digits = _digits(raw)
    return digits if _LANDLINE.fullmatch(digits) else None


def normalise_business_phone(raw: str) -> str | None:
    """A business's number: a mobile or a fixed line (02x…)."""
    return normalise_mobile(raw) or normalise_landline(raw)
