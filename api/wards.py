"""Official ward (commune) codes of the 2025 structure, from the `vietnam-provinces` package."""

from __future__ import annotations

from functools import lru_cache

from vietnam_provinces import Ward


@lru_cache(maxsize=1)
def _wards() -> dict[str, tuple[str, int]]:
    return {str(int(w.code)): (w.name, int(w.province_code)) for w in Ward.iter_all()}


def normalise_code(code: str) -> str:
    """Ward codes are written with or without leading zeros ("00004" and "4")."""
    stripped = code.strip()
    return str(int(stripped)) if stripped.isdigit() else stripped


def ward_exists(code: str) -> bool:
    return normalise_code(code) in _wards()


def ward_name(code: str) -> str | None:
    entry = _wards().get(normalise_code(code))
    return entry[0] if entry else None


def ward_province(code: str) -> int | None:
    entry = _wards().get(normalise_code(code))
    return entry[1] if entry else None
