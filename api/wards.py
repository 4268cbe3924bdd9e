"""Official ward (commune) codes of the 2025 structure, as the API accepts and shows them."""

from __future__ import annotations

from content.communes.official import ward
from contract.leads import normalise_code, ward_exists

__all__ = ["normalise_code", "ward_exists", "ward_name", "ward_province"]


def ward_name(code: str) -> str | None:
    found = ward(code)
    return found.name if found else None


def ward_province(code: str) -> int | None:
    found = ward(code)
    return found.province_code if found else None
