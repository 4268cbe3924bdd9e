"""Dates and amounts as people type them in chat."""

from __future__ import annotations

import pytest

from bot.dates import parse_amount, parse_typed_date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("03/2024", "2024-03"),
        ("3/2024", "2024-03"),
        ("3-2024", "2024-03"),
        ("3.2024", "2024-03"),
        ("3 2024", "2024-03"),
        ("tháng 3 năm 2024", "2024-03"),
        ("Tháng 3/2024", "2024-03"),
        ("thang 3 2024", "2024-03"),
        ("thang 3 nam 2024", "2024-03"),
        ("T3/2024", "2024-03"),
        ("t3 2024", "2024-03"),
        ("15/03/2024", "2024-03-15"),
        ("15-3-2024", "2024-03-15"),
        ("15.3.2024", "2024-03-15"),
        ("ngày 15 tháng 3 năm 2024", "2024-03-15"),
        ("ngay 15 thang 3 nam 2024", "2024-03-15"),
        ("2024-03", "2024-03"),
        ("2024-03-15", "2024-03-15"),
        ("  29/02/2024 ", "2024-02-29"),
    ],
)
def test_dates_in_the_forms_people_use(typed: str, expected: str) -> None:
    parsed = parse_typed_date(typed)
    assert parsed is not None, typed
    assert parsed.iso() == expected


@pytest.mark.parametrize(
    "typed",
    ["3/24", "15/3/24", "13/2024", "31/02/2024", "29/02/2023", "2024", "hôm qua", "", "3/2024/5/6", "0/2024"],
)
def test_ambiguous_or_impossible_dates_are_refused(typed: str) -> None:
    assert parse_typed_date(typed) is None


@pytest.mark.parametrize(
    ("typed", "amount", "per_month"),
    [
        ("50 triệu", 50_000_000, False),
        ("50tr", 50_000_000, False),
        ("50 trieu", 50_000_000, False),
        ("50 củ", 50_000_000, False),
        ("50.000.000", 50_000_000, False),
        ("50,000,000", 50_000_000, False),
        ("50 000 000", 50_000_000, False),
        ("50000000", 50_000_000, False),
        ("50.000.000 đồng", 50_000_000, False),
        ("1,5 triệu", 1_500_000, False),
        ("2 tỷ", 2_000_000_000, False),
        ("2 ty", 2_000_000_000, False),
        ("1 tỷ 2", 1_200_000_000, False),
        ("5 triệu 500", 5_500_000, False),
        ("500 nghìn", 500_000, False),
        ("500k", 500_000, False),
        ("4 trieu/thang", 4_000_000, True),
        ("4tr/tháng", 4_000_000, True),
        ("4 triệu một tháng", 4_000_000, True),
        ("0", 0, False),
    ],
)
def test_amounts_in_the_forms_people_use(typed: str, amount: int, per_month: bool) -> None:
    assert parse_amount(typed) == (amount, per_month)


@pytest.mark.parametrize("typed", ["abc", "-5", "nhiều lắm", "", "50 triệu 5 tỷ", "1.2.3", "9" * 40])
def test_unreadable_amounts_are_refused(typed: str) -> None:
    assert parse_amount(typed) is None
