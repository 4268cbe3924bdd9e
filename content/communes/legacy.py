"""Pre-1/7/2025 communes (xã/phường/thị trấn in huyện/quận/thị xã/thành phố in 63 provinces) and the
2025 commune(s) each became, from the `vietnamadminunits` package's data files.

The package's table of old communes split between several new ones (`DICT_PROVINCE_WARD_DIVIDED`)
mixes up same-name communes of different places: e.g. it lists xã Thạnh Quới (Mỹ Xuyên, Sóc Trăng) as
split into xã Gia Hòa (nearby, the default) and xã Thạnh Quới, which is the former xã Thạnh Quới of
Vĩnh Thạnh, Cần Thơ, 99 km away. Nghị quyết 1668/NQ-UBTVQH15 merges it whole into xã Gia Hòa.
We therefore keep a split target only when it is genuine, checked generically with the package's own
data (no hand-made list):

1. Province check: the new commune must receive territory from the old commune's own old province,
   according to the unsplit table (`DICT_PROVINCE_WARD_NO_DIVIDED`). A new commune that receives no
   unsplit old commune at all gives no evidence and passes.
2. Distance check: a target other than the package's default must lie within `MAX_SPLIT_KM` of the
   old commune's recorded position (genuine splits in the data lie within ~20 km; the mix-ups lie
   20-100 km away, some inside one province, e.g. two xã Tân Thạnh of Đồng Tháp).
If the checks would leave nothing, the default target is kept.
"""

from __future__ import annotations

import importlib.util
import json
import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from content.communes.official import find_in_province
from content.communes.text import strip_kind

MAX_SPLIT_KM = 30.0
DISTRICT_KINDS = ("Huyện", "Quận", "Thị xã", "Thành phố")
WARD_KINDS = ("Phường", "Xã", "Thị trấn")


@dataclass(frozen=True)
class OldProvince:
    key: str  # package key, e.g. "tinhsoctrang"
    name: str  # "Tỉnh Sóc Trăng"
    short: str  # "Sóc Trăng"
    aliases: tuple[str, ...]  # folded, spaceless spellings, e.g. ("soctrang",)
    new_code: int  # the 2025 province it belongs to


@dataclass(frozen=True)
class OldDistrict:
    key: str  # "huyenmyxuyen"
    name: str  # "Huyện Mỹ Xuyên"
    kind: str  # "Huyện", "Quận", "Thị xã", "Thành phố"
    short: str  # "Mỹ Xuyên"
    aliases: tuple[str, ...]
    province: OldProvince


@dataclass(frozen=True)
class Target:
    code: str  # official 2025 ward code
    default: bool  # the package's choice when the address does not tell


@dataclass(frozen=True)
class OldWard:
    key: str  # "tinhsoctrang_huyenmyxuyen_xadaitam"
    name: str  # "Xã Đại Tâm"
    kind: str  # "Xã", "Phường", "Thị trấn"
    aliases: tuple[str, ...]
    district: OldDistrict
    targets: tuple[str, ...]  # 2025 ward codes, the default first; several only for genuine splits
    rejected: tuple[str, ...]  # split targets listed by the package that failed the checks

    @property
    def split(self) -> bool:
        return len(self.targets) > 1


def _kind_of(name: str, listed: str) -> str:
    """The kind a name starts with; the package's `wardType` is wrong for a few ("Phường 15" as "Xã")."""
    return next((kind for kind in WARD_KINDS if name.startswith(kind + " ")), listed)


def _read(name: str) -> Any:
    # Locate the package's data without importing the package: its import pulls in shapely and
    # its SQLite dataset (about 30 MB of memory) that the resolver does not use.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def release_raw_data() -> None:
    """Drop the parsed JSON (about 19 MB of Python objects) once the indexes built from it are
    cached; a later look-up in another province reads the files again (a fraction of a second)."""
    _data_cached.cache_clear()


_READING = threading.Lock()


def _data() -> tuple[Any, Any, Any]:
    with _READING:  # concurrent first callers share one read
        return _data_cached()


@lru_cache(maxsize=1)
def _data_cached() -> tuple[Any, Any, Any]:
    return _read("converter_2025.json"), _read("parser_legacy.json"), _read("parser_from_2025.json")


def _typed(keyword: str, others: set[str]) -> bool:
    """A keyword that is another keyword with a kind word in front ("xadaitam" = "xa" + "daitam")."""
    return any(keyword.endswith(other) and keyword != other for other in others)


def _aliases(keywords: list[str]) -> tuple[str, ...]:
    words = {k for k in keywords if k.isascii()}
    return tuple(sorted(k for k in words if not _typed(k, words) and not any(c.isdigit() for c in k)))


# Structures built in a child process (see `snapshot.py`), used before reading the package's files.
_SNAPSHOT: dict[object, Any] = {}


def use_snapshot(snapshot: dict[object, Any]) -> None:
    _SNAPSHOT.update(snapshot)


@lru_cache(maxsize=1)
def old_provinces() -> dict[str, OldProvince]:
    if "old_provinces" in _SNAPSHOT:
        found: dict[str, OldProvince] = _SNAPSHOT["old_provinces"]
        return found
    converter, legacy, modern = _data()
    new_code_of: dict[str, int] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            new_code_of[old_key] = int(modern["DICT_PROVINCE"][new_key]["provinceCode"])
    provinces = {}
    for key, info in legacy["DICT_PROVINCE"].items():
        provinces[key] = OldProvince(
            key, info["province"], info["provinceShort"], _aliases(info["provinceKeywords"]), new_code_of[key]
        )
    return provinces


@lru_cache(maxsize=1)
def new_province_aliases() -> dict[int, tuple[str, str, tuple[str, ...]]]:
    """2025 province code -> (name, short name, folded spellings), from the package's parser data."""
    if "new_province_aliases" in _SNAPSHOT:
        found: dict[int, tuple[str, str, tuple[str, ...]]] = _SNAPSHOT["new_province_aliases"]
        return found
    _, _, modern = _data()
    return {
        int(info["provinceCode"]): (
            info["province"],
            info["provinceShort"],
            _aliases(info["provinceKeywords"]),
        )
        for info in modern["DICT_PROVINCE"].values()
    }


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _new_province_key(province_code: int) -> str | None:
    _, _, modern = _data()
    for key, info in modern["DICT_PROVINCE"].items():
        if int(info["provinceCode"]) == province_code:
            return str(key)
    return None


def _new_ward_codes(new_key: str, province_code: int) -> dict[str, str]:
    """Package ward key -> official code, matched by name within the province (the package's own codes
    differ from the official list for some wards)."""
    _, _, modern = _data()
    codes: dict[str, str] = {}
    for table in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED"):
        for ward_key, info in modern[table].get(new_key, {}).items():
            found = find_in_province(province_code, info["ward"])
            if found is not None:
                codes[ward_key] = found.code
    return codes


def _legacy_wards(province_key: str) -> dict[tuple[str, str], dict[str, Any]]:
    _, legacy, _ = _data()
    wards: dict[tuple[str, str], dict[str, Any]] = {}
    for table in ("DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED", "DICT_PROVINCE_DISTRICT_WARD_ACCENTED"):
        for district_key, district_wards in legacy[table].get(province_key, {}).items():
            for ward_key, info in district_wards.items():
                if isinstance(info.get("ward"), str):
                    wards[(district_key, ward_key)] = info
    return wards


@lru_cache(maxsize=64)
def old_wards(province_code: int) -> tuple[OldWard, ...]:
    """Every old commune now inside the 2025 province, with the new commune(s) it became."""
    if ("old_wards", province_code) in _SNAPSHOT:
        found: tuple[OldWard, ...] = _SNAPSHOT[("old_wards", province_code)]
        return found
    converter, legacy, _ = _data()
    new_key = _new_province_key(province_code)
    if new_key is None:
        return ()
    codes = _new_ward_codes(new_key, province_code)
    whole: dict[str, list[str]] = defaultdict(list)  # old key -> new codes (unsplit table)
    sources: dict[str, set[str]] = defaultdict(set)  # new code -> old province keys (unsplit table)
    for ward_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items():
        code = codes.get(ward_key)
        if code is None:
            continue
        for old_key in old_keys:
            whole[old_key].append(code)
            sources[code].add(old_key.split("_")[0])
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {})

    provinces = old_provinces()
    result: list[OldWard] = []
    for province_key in converter["DICT_PROVINCE"][new_key]:
        province = provinces[province_key]
        districts: dict[str, OldDistrict] = {}
        for district_key, info in legacy["DICT_PROVINCE_DISTRICT"][province_key].items():
            districts[district_key] = OldDistrict(
                district_key,
                info["district"],
                info["districtType"],
                strip_kind(
                    info["district"], DISTRICT_KINDS
                ),  # the package's short form may be "Long Mỹ (Huyện)"
                _aliases(info["districtKeywords"]),
                province,
            )
        for (district_key, ward_key), info in _legacy_wards(province_key).items():
            key = f"{province_key}_{district_key}_{ward_key}"
            targets: tuple[str, ...]
            rejected: tuple[str, ...]
            if key in whole:
                targets, rejected = tuple(dict.fromkeys(whole[key])), ()
            elif key in divided:
                targets, rejected = _genuine_targets(
                    divided[key], codes, sources, province_key, (info["wardLat"], info["wardLon"])
                )
            else:
                continue
            if not targets:
                continue
            result.append(
                OldWard(
                    key,
                    info["ward"],
                    _kind_of(info["ward"], info["wardType"]),
                    _aliases(info["wardKeywords"]),
                    districts[district_key],
                    targets,
                    rejected,
                )
            )
    return tuple(result)


def _genuine_targets(
    entries: list[dict[str, Any]],
    codes: dict[str, str],
    sources: dict[str, set[str]],
    province_key: str,
    position: tuple[float, float],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split targets that pass the province and distance checks (module docstring), default first."""
    listed: list[tuple[str, bool, float]] = []
    for entry in sorted(entries, key=lambda e: not e["isDefaultNewWard"]):
        code = codes.get(entry["newWardKey"])
        if code is None:
            continue
        km = _distance_km(position, (entry["newWardLat"], entry["newWardLon"]))
        listed.append((code, bool(entry["isDefaultNewWard"]), km))
    kept = [
        code
        for code, default, km in listed
        if (not sources[code] or province_key in sources[code]) and (default or km <= MAX_SPLIT_KM)
    ]
    if not kept:
        kept = [code for code, default, _ in listed if default][:1]
    kept = list(dict.fromkeys(kept))
    rejected = tuple(code for code, _, _ in listed if code not in kept)
    return tuple(kept), rejected


@lru_cache(maxsize=8)
def district_communes(province_code: int) -> dict[OldDistrict, tuple[str, ...]]:
    """Old district -> the 2025 communes that received any of its territory (sorted by code)."""
    found: dict[OldDistrict, set[str]] = defaultdict(set)
    for old in old_wards(province_code):
        found[old.district].update(old.targets)
    return {district: tuple(sorted(codes)) for district, codes in found.items()}
