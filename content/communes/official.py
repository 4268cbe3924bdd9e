"""The official 2025 communes/wards (cấp xã) and provinces, from the `vietnam-provinces` package."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province, ProvinceCode, Ward

from content.communes.text import fold

DEFAULT_PROVINCE = 92
WARD_KINDS = ("Phường", "Xã", "Đặc khu")


@dataclass(frozen=True)
class NewWard:
    code: str  # official code, five digits, e.g. "31684"
    name: str  # official name, e.g. "Phường Mỹ Xuyên"
    kind: str  # "Phường", "Xã" or "Đặc khu"
    province_code: int


def format_code(code: int) -> str:
    return f"{int(code):05d}"


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


@lru_cache(maxsize=1)
def _all_wards() -> dict[str, NewWard]:
    wards: dict[str, NewWard] = {}
    for ward in Ward.iter_all():
        name = _clean(ward.name)
        kind = next((k for k in WARD_KINDS if name.startswith(k + " ")), "")
        code = format_code(ward.code)
        wards[code] = NewWard(code, name, kind, int(ward.province_code))
    return wards


def ward(code: str) -> NewWard | None:
    """The 2025 commune/ward with this official code, or None."""
    return _all_wards().get(code.strip().zfill(5)) if code.strip().isdigit() else None


@lru_cache(maxsize=64)
def province_wards(province_code: int = DEFAULT_PROVINCE) -> tuple[NewWard, ...]:
    """Every 2025 commune/ward of a province, in the package's order."""
    return tuple(w for w in _all_wards().values() if w.province_code == province_code)


def province_name(province_code: int) -> str:
    return _clean(Province.from_code(ProvinceCode(province_code)).name)


def province_codes() -> tuple[int, ...]:
    return tuple(int(p.code) for p in Province.iter_all())


def find_in_province(province_code: int, name: str) -> NewWard | None:
    """The ward of a province with exactly this name; folded spelling when the accents differ
    only in tone placement ("Hòa"/"Hoà"), and never when two wards fold to the same spelling."""
    exact = [w for w in province_wards(province_code) if w.name.lower() == _clean(name).lower()]
    if len(exact) == 1:
        return exact[0]
    key = re.sub(r"[^a-z0-9]", "", fold(name))
    folded = [w for w in province_wards(province_code) if re.sub(r"[^a-z0-9]", "", fold(w.name)) == key]
    return folded[0] if len(folded) == 1 else None
