"""Official ward (commune) codes of the 2025 structure, as the API accepts and shows them."""

from __future__ import annotations

from content.communes.official import ward


def normalise_code(code: str) -> str:
    """Ward codes are five digits; "4" and "00004" are the same ward."""
    stripped = code.strip()
    return stripped.zfill(5) if stripped.isdigit() else stripped


def ward_exists(code: str) -> bool:
    return ward(code) is not None


def ward_name(code: str) -> str | None:
    found = ward(code)
    return found.name if found else None


def ward_province(code: str) -> int | None:
    found = ward(code)
    return found.province_code if found else None
