"""A Vietnamese mobile number inside a sentence: "sdt tui 0912.345.678 nha", "so em la +84 912 345 678"."""

from __future__ import annotations

import re

from content.vn_phone import normalise_mobile

# Digits with the separators people put between groups (spaces, dots, dashes, brackets).
_CANDIDATE = re.compile(r"(?:\+|\b)\d[\d .\-()]{7,16}\d")


def find_phone(text: str) -> str | None:
    """The one mobile number in the text as 0xxxxxxxxx, or None (none, or two different ones)."""
    found = {phone for m in _CANDIDATE.finditer(text) if (phone := normalise_mobile(m.group(0)))}
    return found.pop() if len(found) == 1 else None
