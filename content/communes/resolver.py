"""Find the 2025 commune(s) a person means from what they type.

The query is folded into tokens (see `text`); every run of tokens that spells a known name is a
"mention": a 2025 ward of the searched province, an old ward, an old district, or a province.
Each way of reading the query (a 2025 ward by its name, or an old ward with its district and
province) gets a score from the mentions it uses; the candidates of the best-scoring readings are
returned, best first. Indexes are built once per province and cached.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from content.communes.legacy import (
    OldDistrict,
    OldWard,
    new_province_aliases,
    old_provinces,
    old_wards,
    release_raw_data,
)
from content.communes.official import DEFAULT_PROVINCE, WARD_KINDS, NewWard, province_codes, province_wards
from content.communes.official import ward as official_ward
from content.communes.text import (
    DISTRICT_MARKERS,
    PROVINCE_MARKERS,
    TWO_WORD_MARKERS,
    WARD_MARKERS,
    Query,
    accent_key,
    compact,
    marker_before,
    name_words,
    parse_query,
    strip_kind,
)

PROVINCE_ENV = "BUOCMOI_PROVINCE"
MAX_NAME_WORDS = 7

# Scores of the pieces of a reading.
NAME = 10.0  # a ward's name is in the text
KIND_MATCH = 2.0  # ... right after its own kind ("xã", "phường", "thị trấn")
KIND_OTHER_WARD = -3.0  # ... after another kind of its level (people mix up xã and thị trấn)
DISTRICT_MATCH = 6.0  # the old ward's district is named too
DISTRICT_OTHER = -2.0  # another district of the same old province is named, not this one
PROVINCE_MATCH = 3.0  # the ward's (old or new) province is named
ACCENTS_MATCH = 0.5  # the text's accents match the name exactly (Tân Thạnh vs Tân Thành)

_DISTRICT_KIND_WORDS = {"Huyện": "huyen", "Quận": "quan", "Thị xã": "thi xa", "Thành phố": "thanh pho"}
_WARD_KIND_WORDS = {"Phường": "phuong", "Xã": "xa", "Thị trấn": "thi tran", "Đặc khu": "dac khu"}


@dataclass(frozen=True)
class Candidate:
    code: str  # official 2025 ward code, e.g. "31684"
    name: str  # official 2025 name, e.g. "Phường Mỹ Xuyên"


def default_province() -> int:
    """The province this deployment serves (`BUOCMOI_PROVINCE`, default 92)."""
    value = os.environ.get(PROVINCE_ENV, "").strip()
    return int(value) if value.isdigit() else DEFAULT_PROVINCE


@dataclass(frozen=True)
class _Entry:
    """A name in the index: what it names and how it is spelled with accents."""

    kind: str  # "new", "old", "district", "province"
    ref: object  # NewWard, OldWard, OldDistrict, or province code (int) / old province key (str)
    accented: str
    numeric: bool = False  # a bare number ("Phường 5"): only counts right after a ward kind


@dataclass
class _Index:
    names: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))

    def add(self, spelling: str, entry: _Entry) -> None:
        if spelling:
            self.names[spelling].append(entry)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _ward_spellings(name: str, kinds: tuple[str, ...]) -> tuple[list[str], str, bool]:
    """Spellings of a ward's name without its kind, its accented form, and whether it is a bare
    number ("Phường 5", or "Phường V", also spelled "5")."""
    short = strip_kind(name, kinds)
    words = name_words(short)
    spellings = [compact(words)]
    numeric = bool(words) and all(w.isdigit() or w in _ROMAN for w in words)
    if numeric and len(words) == 1 and words[0] in _ROMAN:
        spellings.append(str(_ROMAN[words[0]]))
    return spellings, accent_key(short), numeric


def _variants(aliases: tuple[str, ...], spelling: str) -> list[str]:
    """The package's other spellings of a name ("ngokto" for "ngocto"), without those that only add a
    kind word ("xathanhan", "ttlongphu"): those would hide the kind word from the reading."""
    return [alias for alias in aliases if spelling not in alias]


_BUILDING = threading.RLock()


@lru_cache(maxsize=8)
def _province_index(province_code: int) -> _Index:
    index = _Index()
    for new in province_wards(province_code):
        spellings, accented, numeric = _ward_spellings(new.name, WARD_KINDS)
        for spelling in spellings:
            index.add(spelling, _Entry("new", new, accented, numeric))
    seen_districts: set[OldDistrict] = set()
    for old in old_wards(province_code):
        spellings, accented, numeric = _ward_spellings(old.name, tuple(_WARD_KIND_WORDS))
        entry = _Entry("old", old, accented, numeric)
        for spelling in spellings:
            index.add(spelling, entry)
        if not numeric:
            for alias in _variants(old.aliases, spellings[0]):
                index.add(alias, entry)
        district = old.district
        if district not in seen_districts:
            seen_districts.add(district)
            d_spelling = compact(name_words(district.short))
            d_entry = _Entry("district", district, accent_key(district.short))
            index.add(d_spelling, d_entry)
            for alias in _variants(district.aliases, d_spelling):
                index.add(alias, d_entry)
    release_raw_data()
    return index


@lru_cache(maxsize=1)
def _provinces_index() -> _Index:
    """Every province, old (63) and 2025 (34), by its spellings; refs are 2025 codes or old keys."""
    index = _Index()
    for code, (_name, short, aliases) in new_province_aliases().items():
        entry = _Entry("province", code, accent_key(short))
        for spelling in {compact(name_words(short)), *aliases}:
            index.add(spelling, entry)
    for old in old_provinces().values():
        entry = _Entry("province", old.key, accent_key(old.short))
        for spelling in {compact(name_words(old.short)), *old.aliases}:
            index.add(spelling, entry)
    release_raw_data()
    return index


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entry: _Entry
    marker: tuple[str, ...] | None
    accents_match: bool


def _two_word_markers(words: tuple[str, ...]) -> set[int]:
    """Positions of "thành phố", "thị xã", "thị trấn", "đặc khu": never part of a name, so that
    "Tân Bình, Thành phố Hồ Chí Minh" does not read "Bình Thành"."""
    reserved: set[int] = set()
    for i in range(len(words) - 1):
        if len(marker := words[i : i + 2]) == 2 and marker in TWO_WORD_MARKERS:
            reserved.update((i, i + 1))
    return reserved


def _mentions(query: Query, index: _Index) -> list[_Mention]:
    words = query.words
    found: list[_Mention] = []
    reserved = _two_word_markers(words)
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + MAX_NAME_WORDS) + 1):
            if end - 1 in reserved:
                break
            entries = index.names.get(compact(words[start:end]))
            if not entries:
                continue
            marker = marker_before(words, start)
            typed = accent_key("".join(query.accented[start:end]))
            accented = typed != compact(words[start:end])  # the person typed diacritics here
            for entry in entries:
                found.append(_Mention(start, end, entry, marker, accented and typed == entry.accented))
    return found


def _undominated(mentions: list[_Mention]) -> list[_Mention]:
    """Drop a mention lying strictly inside a longer one ("Long Phú" inside "Long Phú 1")."""
    return [
        m
        for m in mentions
        if not any(
            o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start for o in mentions
        )
    ]


def _province_of(ref: object) -> int | None:
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        old = old_provinces().get(ref)
        return old.new_code if old else None
    return None


def _scopes(query: Query, home: int) -> list[int]:
    """Provinces to search: the home province, unless the text names only other provinces.

    A province name inside a home place name ("Huế" in "xã Nguyễn Huệ") keeps the home province."""
    named: list[int] = []
    home_names = _mentions(query, _province_index(home))
    for mention in _undominated(_mentions(query, _provinces_index())):
        if mention.marker is not None and mention.marker not in PROVINCE_MARKERS:
            continue  # "xã Long An" names a commune, not the province
        code = _province_of(mention.entry.ref)
        if code is None or code in named:
            continue
        if mention.marker is None and any(_overlaps(mention, m) for m in home_names):
            code = home
        named.append(code)
    valid = set(province_codes())
    others = [code for code in named if code != home and code in valid]
    if not others:
        return [home]
    return [home, *others] if home in named else others


def _kind_score(mention: _Mention, kind: str) -> float | None:
    """Score of the words before a ward's name; None when they say it is not a ward."""
    if mention.marker is None:
        return None if mention.entry.numeric else 0.0
    if mention.marker not in WARD_MARKERS:
        return None  # "huyện Mỹ Xuyên" is a district, "TP Sóc Trăng" a town or a province
    if WARD_MARKERS[mention.marker] == _WARD_KIND_WORDS.get(kind):
        return KIND_MATCH
    return None if mention.entry.numeric else KIND_OTHER_WARD


def _overlaps(a: _Mention, b: _Mention) -> bool:
    return a.start < b.end and b.start < a.end


@dataclass(frozen=True)
class _Reading:
    score: float
    order: int
    codes: tuple[str, ...]


def _readings(query: Query, province_code: int, named_provinces: list[_Mention]) -> list[_Reading]:
    mentions = _undominated(_mentions(query, _province_index(province_code)) + named_provinces)
    districts = [m for m in mentions if m.entry.kind == "district"]
    provinces = [m for m in mentions if m.entry.kind == "province"]
    readings: list[_Reading] = []
    for order, mention in enumerate(mentions):
        entry = mention.entry
        if entry.kind == "new" and isinstance(entry.ref, NewWard):
            kind = _kind_score(mention, entry.ref.kind)
            if kind is None:
                continue
            score = NAME + kind + (ACCENTS_MATCH if mention.accents_match else 0)
            if any(
                _province_of(p.entry.ref) == province_code and not _overlaps(p, mention) for p in provinces
            ):
                score += PROVINCE_MATCH
            readings.append(_Reading(score, order, (entry.ref.code,)))
        elif entry.kind == "old" and isinstance(entry.ref, OldWard):
            old = entry.ref
            kind = _kind_score(mention, old.kind)
            if kind is None:
                continue
            score = NAME + kind + (ACCENTS_MATCH if mention.accents_match else 0)
            free = [d for d in districts if not _overlaps(d, mention) and _district_marker_ok(d)]
            own = [d for d in free if d.entry.ref == old.district]
            if own:
                score += max(_district_score(d, old.district) for d in own)
            elif any(
                isinstance(d.entry.ref, OldDistrict) and d.entry.ref.province == old.district.province
                for d in free
            ):
                score += DISTRICT_OTHER
            used = [mention, *own[:1]]
            if any(
                p.entry.ref in (old.district.province.key, province_code)
                and not any(_overlaps(p, u) for u in used)
                for p in provinces
            ):
                score += PROVINCE_MATCH
            readings.append(_Reading(score, len(mentions) + order, old.targets))
    return readings


def _district_score(mention: _Mention, district: OldDistrict) -> float:
    """Named with its own kind or none: full score; as another kind (huyện for a thị xã): less."""
    if mention.marker is None or DISTRICT_MARKERS[mention.marker] == _DISTRICT_KIND_WORDS.get(district.kind):
        return DISTRICT_MATCH
    return DISTRICT_MATCH + KIND_OTHER_WARD


def _district_marker_ok(mention: _Mention) -> bool:
    return mention.marker is None or mention.marker in DISTRICT_MARKERS


def resolve(text: str, province_code: int | None = None) -> list[Candidate]:
    """2025 communes/wards the text may mean, best first; [] when nothing fits.

    Searches `province_code` (default: the deployment's, `BUOCMOI_PROVINCE`), or the provinces the
    text names when it names others. An old commune split between several new ones gives all of them.
    """
    home = province_code if province_code is not None else default_province()
    with _BUILDING:  # the first look-ups build the indexes once, not once per concurrent caller
        _provinces_index()
        _province_index(home)
    query = parse_query(text)
    if not query.words:
        return []
    if len(query.words) == 1 and query.words[0].isdigit() and len(query.words[0]) >= 4:
        found = official_ward(query.words[0])  # an official code typed as is
        return [Candidate(found.code, found.name)] if found and found.province_code == home else []
    province_mentions = _mentions(query, _provinces_index())
    readings: list[_Reading] = []
    for rank, scope in enumerate(_scopes(query, home)):
        for reading in _readings(query, scope, province_mentions):
            readings.append(_Reading(reading.score, rank * 10_000 + reading.order, reading.codes))
    if not readings:
        return []
    best = max(r.score for r in readings)
    codes: dict[str, None] = {}
    for reading in sorted((r for r in readings if r.score == best), key=lambda r: r.order):
        codes.update(dict.fromkeys(reading.codes))
    result = []
    for code in codes:
        found = official_ward(code)
        if found is not None:
            result.append(Candidate(found.code, found.name))
    return result


def other_province(text: str, province_code: int | None = None) -> int | None:
    """The 2025 province the text names when it names only provinces other than the home one
    ("quận 1 Sài Gòn", "Hà Nội"), else None. Lets a bot say "this service covers ..." at once."""
    home = province_code if province_code is not None else default_province()
    with _BUILDING:
        _provinces_index()
        _province_index(home)
    query = parse_query(text)
    if not query.words:
        return None
    scopes = _scopes(query, home)
    return scopes[0] if home not in scopes and scopes else None
