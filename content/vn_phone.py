"""Vietnamese mobile numbers: accept how people write them, store one form (0xxxxxxxxx).

Since the 2018 renumbering, mobile numbers have 10 digits: 0 followed by 3, 5, 7, 8 or 9 and eight more
digits. People also write +84 / 84 instead of the leading 0, and group digits with spaces, dots or dashes.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[35789]\d{8}")


def normalise_mobile(raw: str) -> str | None:
    """The number as 0xxxxxxxxx, or None if it is not a Vietnamese mobile number."""
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None
