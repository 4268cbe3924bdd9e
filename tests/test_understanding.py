"""bot/understanding: intents, numbers, relative dates, phones, who a check is for (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.understanding import intents
from bot.understanding.dates import Said, understand_date
from bot.understanding.numbers import Number, parse_number
from bot.understanding.phones import find_phone
from bot.understanding.who import FAMILY, SELF, who_for

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("kiem tra", intents.CHECK),
        ("Kiểm tra điều kiện", intents.CHECK),
        ("xem tui co duoc vay ko", intents.CHECK),
        ("gui cho can bo", intents.SEND),
        ("gửi hồ sơ cho cán bộ giùm tui", intents.SEND),
        ("ho so cua tui", intents.STATUS),
        ("hồ sơ của tui sao rồi", intents.STATUS),
        ("xoa thong tin", intents.DELETE),
        ("nhac tui", intents.REMIND),
        ("quay lai", intents.BACK),
        ("huy", intents.CANCEL),
        ("hủy nha", intents.CANCEL),
        ("thôi", intents.CANCEL),
        ("doi ngon ngu", intents.LANGUAGE),
        ("english", intents.LANGUAGE),
        ("gap can bo", intents.PERSON),
        ("tui muon noi chuyen voi nguoi that", intents.PERSON),
        ("tiep theo tui phai lam gi", intents.NEXT_STEPS),
        ("bao lau thi co tien", intents.TIMELINE),
        ("menu", intents.MENU),
        ("check my eligibility", intents.CHECK),
        ("talk to a person", intents.PERSON),
    ],
)
def test_intents_as_people_type_them(text: str, intent: str) -> None:
    assert intents.detect(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "lãi suất bao nhiêu",
        "thời hạn vay bao lâu",  # "thoi" is time here, not "stop"
        "nếu vay rồi thì có xóa thông tin tiền án không, cho tui hỏi với nha bạn",  # a question
        "Nguyễn Văn Huy",
        "cam on",
        "ban la nguoi that hay may",  # small talk about the bot, not a hand-off
    ],
)
def test_questions_and_names_are_not_intents(text: str) -> None:
    assert intents.detect(text) is None


def test_free_text_steps_take_only_whole_commands() -> None:
    assert intents.detect("huy", strict=True) == intents.CANCEL
    assert intents.detect("quay lại", strict=True) == intents.BACK
    assert intents.detect("kiem tra", strict=True) is None
    assert intents.detect("Trần Thị Kiểm", strict=True) is None


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("1 tỷ rưỡi", 1_500_000_000, False),
        ("mot ty ruoi", 1_500_000_000, False),
        ("khoảng 40 người", 40, True),
        ("tầm bốn chục người", 40, True),
        ("năm chục triệu", 50_000_000, False),
        ("nam chuc trieu", 50_000_000, False),
        ("50tr", 50_000_000, False),
        ("tui muon vay 50 trieu nha", 50_000_000, False),
        ("bốn mươi lăm", 45, False),
        ("hai trăm linh năm", 205, False),
        ("mot trieu hai", 1_200_000, False),
        ("5 triệu 5", 5_500_000, False),
        ("1,5 tỷ", 1_500_000_000, False),
        ("năm trăm nghìn", 500_000, False),
        ("about 50 million", 50_000_000, True),
        ("twenty five people", 25, False),
    ],
)
def test_numbers_as_people_say_them(text: str, value: int, approximate: bool) -> None:
    assert parse_number(text) == Number(value, approximate)


@pytest.mark.parametrize("text", ["xyz", "hai ba", "10 nguoi hay 20 nguoi", ""])
def test_no_number_or_two_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "year", "said"),
    [
        ("năm ngoái", None, Said("year", 2025)),
        ("nam ngoai", None, Said("year", 2025)),
        ("tháng trước", None, Said("month", 2026, 10)),
        ("3 thang truoc", None, Said("month", 2026, 8)),
        ("2 năm trước", None, Said("year", 2024)),
        ("hồi Tết", None, Said("month", 2026, 2)),  # Tết 2026 was 17/2
        ("tet nam ngoai", None, Said("month", 2025, 1)),  # Tết 2025 was 29/1
        ("thang 11", 2024, Said("month", 2024, 11)),
        ("thang 11", None, Said("month_only", None, 11)),
        ("tháng 11 năm ngoái", None, Said("month", 2025, 11)),
        ("tết năm sau", None, Said("month", 2027, 2)),  # someone still inside: Tết 2027 is 6/2
        ("tháng sau", None, Said("month", 2026, 12)),
        ("ko biet", None, Said("unknown")),
        ("không nhớ rõ", None, Said("unknown")),
        ("xin chao", None, None),
    ],
)
def test_dates_as_people_say_them(text: str, year: int | None, said: Said | None) -> None:
    assert understand_date(text, TODAY, year) == said


def test_tet_before_this_years_tet_is_last_years() -> None:
    assert understand_date("hồi Tết", date(2026, 2, 1)) == Said("month", 2025, 1)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("sdt tui 0912.345.678 nha", "0912345678"),
        ("so em la +84 912 345 678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("goi 0912345678 hoac 0987654321", None),
        ("khong co so", None),
        ("nha so 12 duong 3/2", None),
    ],
)
def test_phone_inside_a_sentence(text: str, phone: str | None) -> None:
    assert find_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("cho tui", SELF),
        ("cho con trai tui", FAMILY),
        ("hoi gium thang em", FAMILY),
        ("Người nhà", FAMILY),
        ("for my son", FAMILY),
        ("abc", None),
    ],
)
def test_who_the_check_is_for(text: str, who: str | None) -> None:
    assert who_for(text) == who


def test_a_question_is_not_a_yes() -> None:
    """ "có phải giấy ra trại hả", "có luôn à": questions, not answers; "có rồi ạ" is a yes."""
    from bot.understanding.yesno import yes_no

    for question in ("có phải giấy ra trại hả", "có cần giấy đó hả em", "có luôn à", "co?", "co phai"):
        assert yes_no(question) is None, question
    assert yes_no("có rồi ạ") == "yes" and yes_no("co giay roi em") == "yes"
    assert yes_no("ko co no ai") == "no"
