"""Numbers as people say them: "1 tỷ rưỡi", "khoảng 40 người", "năm chục triệu", "50tr", "bốn mươi lăm",
"hai trăm linh năm", "mot trieu hai" (with or without diacritics).

Hand-written (see docs/notes/dialog.md): `vietnam-number` is GPL-3.0 and refuses text without
diacritics; `vn-numberwords` (MIT) silently returns wrong values on such text ("nam chuc trieu" ->
5,000,000, "ba chuc" -> 3, "xyz" -> 0) and has no "rưỡi".

`parse_number(text)` finds the one run of number words/digits in the message (words around it, such
as "khoảng", "người", "tui muốn vay", are ignored); two separate numbers are ambiguous -> None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text_normalizer import fold

_DIGITS = {
    "khong": 0, "mot": 1, "mott": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "nham": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9,
    # English, for people who chose English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_TENS = {"muoi", "chuc"}  # "mười"/"mươi" fold alike; "chục" = ten
_HUNDRED = {"tram", "hundred"}
_BIG = {"nghin": 1_000, "ngan": 1_000, "k": 1_000, "trieu": 1_000_000, "tr": 1_000_000, "cu": 1_000_000,
        "ty": 1_000_000_000, "ti": 1_000_000_000, "thousand": 1_000, "million": 1_000_000,
        "millions": 1_000_000, "mil": 1_000_000, "m": 1_000_000, "billion": 1_000_000_000,
        "bn": 1_000_000_000}  # fmt: skip
_JOIN = {"linh", "le"}
_HALF = {"ruoi"}
# Words saying the number is a guess: kept as a flag, the number is still used.
_APPROX = {"khoang", "chung", "co", "gan", "xap", "xi", "hon", "tren", "duoi", "ca", "about",
           "around", "roughly", "approximately", "nearly", "over"}  # fmt: skip
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
_NUMERIC = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Number:
    value: int
    approximate: bool


def _numeric(token: str) -> float | None:
    groups = re.split(r"[.,]", token)
    if len(groups) == 1:
        return float(token)
    if all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))  # 50.000.000
    if len(groups) == 2:
        return float(f"{groups[0]}.{groups[1]}")  # 1,5
    return None


def _is_number_word(token: str) -> bool:
    return (
        token in _DIGITS or token in _TENS or token in _HUNDRED or token in _BIG or token in _JOIN
        or token in _HALF or _NUMERIC.fullmatch(token) is not None
    )  # fmt: skip


def _runs(tokens: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if _is_number_word(token):
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    # A lone word that is also an ordinary word ("tu" = from, "ba" = father, "nam" = year/south,
    # "co" ...) is a number only when nothing else in the message is one.
    return runs


def _value(run: list[str]) -> float | None:
    total = 0.0  # finished big-unit groups
    small = 0.0  # below the current big unit
    pending: float | None = None  # the last digit not yet placed
    last_big = 0
    previous = ""
    after_big_digit = False
    for token in run:
        if _NUMERIC.fullmatch(token) or token in _DIGITS:
            number = _numeric(token) if _NUMERIC.fullmatch(token) else float(_DIGITS[token])
            if (
                number is not None
                and pending is not None
                and pending >= 20
                and pending % 10 == 0
                and number < 10
            ):
                pending += number  # "twenty five"
                previous = token
                continue
            if number is None or pending is not None:
                return None  # "hai ba" is two numbers
            pending = number
            after_big_digit = previous in _BIG
        elif token in _TENS:
            small += (pending if pending is not None else 1) * 10
            pending = None
        elif token in _HUNDRED:
            small += (pending if pending is not None else 1) * 100
            pending = None
        elif token in _BIG:
            unit = _BIG[token]
            group = small + (pending or 0)
            if group == 0:
                group = 1
            if last_big and unit > last_big:
                total = (total + group) * unit  # "năm trăm nghìn triệu" is odd; keep it coherent
            else:
                total += group * unit
            last_big, small, pending = unit, 0.0, None
        elif token in _HALF:
            if previous in _BIG:
                total += last_big / 2  # "1 tỷ rưỡi"
            elif previous in _HUNDRED:
                small += 50  # "trăm rưỡi"
            elif previous in _TENS:
                small += 5
            else:
                return None
        previous = token
    if pending is not None:
        if after_big_digit and last_big >= 1_000_000 and pending < 10 and float(pending).is_integer():
            total += pending * last_big / 10  # "1 tỷ 2" = 1.2 billion, "5 triệu 5"
        else:
            small += pending
    return total + small


def parse_number(text: str) -> Number | None:
    """The one number in the message (whole), or None when there is none or more than one."""
    folded = fold(text)
    tokens = _TOKEN.findall(re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", folded))
    # "tầm 40" folds to "tam 40": before another number "tam" means about, not eight.
    tokens = [
        "khoang" if t == "tam" and i + 1 < len(tokens) and _is_number_word(tokens[i + 1]) else t
        for i, t in enumerate(tokens)
    ]
    approximate = any(t in _APPROX for t in tokens)
    runs = [r for r in _runs(tokens) if not all(t in _JOIN or t in _HALF for t in r)]
    if len(runs) != 1:
        return None
    value = _value(runs[0])
    if value is None or value != int(value) or value < 0 or value > 10**13:
        return None
    return Number(int(value), approximate)
