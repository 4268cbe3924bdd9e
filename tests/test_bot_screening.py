"""Screening in chat: one question at a time, buttons and typed answers, back and cancel, the result."""

from __future__ import annotations

import pytest

from tests.bot_harness import TODAY, Person, bot_world


async def start_screening(person: Person) -> None:
    await person.say("/start")
    await person.press("Tiếng Việt")
    await person.press("Kiểm tra điều kiện")
    assert "1." in person.text


async def answer_released_person(person: Person) -> None:
    await person.press("Tôi")
    await person.press("chấp hành xong")
    await person.press("Có rồi")
    await person.press("2024")
    await person.press("Tháng 3")
    await person.press("Sản xuất")
    await person.press("50.000.000")
    await person.press("Không")


async def test_buttons_only_path_gives_a_result_with_basis(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await answer_released_person(person)
        assert "Có khả năng đủ điều kiện" in person.text
        assert "Căn cứ" in person.text and "Quyết định 22/2023/QĐ-TTg" in person.text
        assert "không phải quyết định cho vay" in person.text
        assert person.button("Gửi yêu cầu")
        state = await person.state()
        assert state["result"] == {
            "answers": {
                "applicant": "person",
                "release_status": "completed",
                "has_certificate": "yes",
                "release_date": "2024-03",
                "purpose": "production",
                "amount": 50_000_000,
                "same_purpose_debt": "no",
            },
            "outcome": "likely_eligible",
            "remind_on": None,
        }
        assert "flow" not in state


async def test_typed_answers_are_understood(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.say("1")  # the first choice
        await person.say("da chap hanh xong an tu")  # a label typed without diacritics
        await person.say("co r")  # "có rồi"
        await person.say("tháng 3 năm 2024")
        await person.say("hoc nghe")
        await person.say("4 trieu/thang")
        await person.say("ko")
        state = await person.state()
        assert state["result"]["answers"] == {  # type: ignore[index]
            "applicant": "person",
            "release_status": "completed",
            "has_certificate": "yes",
            "release_date": "2024-03",
            "purpose": "training",
            "amount": 4_000_000,
            "same_purpose_debt": "no",
        }


@pytest.mark.parametrize(
    ("status", "purpose", "expected"),
    [
        ("tui moi ra trai roi", "tui tinh nuoi heo", ("completed", "production")),
        ("dc dac xa", "mo tiem tap hoa nho", ("amnesty", "production")),
        ("da ra tu", "di hoc sua xe may", ("completed", "training")),
        ("man han roi", "de sua lai cai nha", ("completed", "other")),
    ],
)
async def test_answers_in_their_own_words_are_understood(
    database_url: str, status: str, purpose: str, expected: tuple[str, str]
) -> None:
    """A man types what he did and what the money is for, not the buttons' words."""
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.say("cho tui")
        await person.say(status)
        await person.say("co roi")
        await person.say("thang 3 nam 2024")
        await person.say(purpose)
        state = await person.state()
        answers = state["flow"]["answers"]  # type: ignore[index]
        assert (answers["release_status"], answers["purpose"]) == expected
        assert "Mình chưa hiểu" not in person.text


async def test_back_changes_an_answer_and_cancel_returns_to_the_menu(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.press("Tôi")
        await person.press("Được đặc xá")
        assert "giấy chứng nhận" in person.text.lower()
        await person.press("Quay lại")
        assert "trường hợp nào" in person.text
        await person.press("chấp hành xong")
        await person.press("Có rồi")
        await person.press("2025")
        assert "tháng mấy" in person.text
        await person.press("Quay lại")  # back from the month to the year
        assert person.button("2021")
        await person.press("Hủy")
        assert "Đã dừng" in person.text and person.button("Hỏi đáp")
        assert "flow" not in await person.state()


async def test_a_question_typed_mid_screening_is_answered_then_the_question_asked_again(
    database_url: str,
) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.press("Tôi")
        replies = await person.say("lãi suất bao nhiêu vậy")
        assert "6,6%" in replies[0].text
        assert "trường hợp nào" in replies[-1].text  # the same question again
        await person.say("xyz qwerty")
        assert "chưa hiểu" in person.text and "trường hợp nào" in person.text


async def test_dates_not_yet_past_and_unreadable_dates_are_asked_again(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.press("Tôi")
        await person.press("chấp hành xong")
        await person.press("Có rồi")
        labels = [b.label for b in person.buttons()]
        assert str(TODAY.year + 1) not in labels and f"Trước năm {TODAY.year - 5}" in labels
        await person.press(str(TODAY.year))
        months = [b.label for b in person.buttons() if b.label.startswith("Tháng")]
        assert months[-1] == f"Tháng {TODAY.month}"  # no month still to come
        await person.say(f"03/{TODAY.year + 1}")
        assert "chưa tới" in person.text
        await person.say("3/24")
        assert "chưa hiểu ngày" in person.text
        await person.say("2023")  # a year alone: the months of that year
        await person.press("Tháng 7")
        assert "làm gì" in person.text  # the purpose question


async def test_someone_still_inside_is_offered_a_reminder(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.press("Tôi")
        await person.press("Vẫn đang ở trong trại")
        assert person.button(str(TODAY.year + 2))  # years ahead for an expected release
        await person.say("15/06/2027")
        await person.press("Sản xuất")
        await person.press("Bỏ qua")
        await person.press("Không rõ")
        assert "Chưa đến lúc" in person.text
        assert person.button("Nhắc tôi")
        state = await person.state()
        assert state["result"]["remind_on"] == "2027-06-16"  # type: ignore[index]


async def test_old_release_is_not_eligible_and_offers_where_to_go(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.press("Tôi")
        await person.press("chấp hành xong")
        await person.press("Có rồi")
        await person.press("Trước năm")
        await person.press("Sản xuất")
        await person.press("Bỏ qua")
        await person.press("Không")
        assert "Chưa đủ điều kiện" in person.text
        assert "5 năm" in person.text
        assert person.button("Nơi liên hệ")
        assert not [b for b in person.buttons() if "Gửi yêu cầu" in b.label]


async def test_business_screening(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.press("Cơ sở")
        await person.press("Hộ kinh doanh")
        await person.press("Có")
        assert person.last[-1].numeric_input
        await person.say("20 người")
        await person.say("25")
        assert "lớn hơn" in person.text
        await person.say("2")
        await person.press("Có")  # the released workers hold their certificates (issue 18)
        await person.press("Đã ký")  # and have labour contracts
        await person.press("500.000.000")
        await person.press("Không")
        assert "Có khả năng đủ điều kiện" in person.text


async def test_a_button_of_an_earlier_question_asks_the_current_one(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        first = person.button("Tôi").data
        await person.press("Tôi")
        await person.press_data(first)  # pressed again on the old message
        assert "tin nhắn cũ" in person.text and "trường hợp nào" in person.text
        await person.press_data("v1|a|release_status|nonsense")
        assert "tin nhắn cũ" in person.text


async def test_yes_and_no_said_in_a_sentence_are_answers(database_url: str) -> None:
    """ "co giay roi em", "ko, no chua vay ngan hang nao het": a yes or a no with words around it is an
    answer, not a question for the FAQ; a question starting with "có" is still a question."""
    async with bot_world(database_url) as world:
        person = world.person()
        await start_screening(person)
        await person.say("cho tui")
        await person.say("tui moi ra trai roi")
        await person.say("co the vay bao nhieu")  # a question: answered, the question asked again
        assert "giấy chứng nhận" in person.text.lower()
        assert "has_certificate" not in (await person.state())["flow"]["answers"]  # type: ignore[index]
        await person.say("co giay roi em")
        await person.say("thang 3 nam 2024")
        await person.say("nuoi heo")
        await person.say("50 trieu")
        await person.say("ko, tui chua vay ngan hang nao het")
        state = await person.state()
        answers = state["result"]["answers"]  # type: ignore[index]
        assert (answers["has_certificate"], answers["same_purpose_debt"]) == ("yes", "no")
        assert "Mình chưa hiểu" not in person.text
