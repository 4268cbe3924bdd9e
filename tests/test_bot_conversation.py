"""The rest of the conversation: language, menu, questions, where to go, my data, and junk input."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlmodel import Session, select

from api.models import Followup, Lead
from bot.engine.events import Press, from_text
from bot.engine.runner import run_event
from tests.bot_harness import bot_world
from tests.test_bot_referral import screened


async def test_start_asks_the_language_then_welcomes_with_the_menu(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person(lang_hint="km-KH")
        await person.say("/start")
        assert [b.data for b in person.buttons()] == ["v1|lang|vi", "v1|lang|km", "v1|lang|en"]
        await person.press("English")
        assert "Decision 22/2023" in person.text
        assert [b.data for b in person.buttons()] == [
            "v1|m|ask",
            "v1|m|check",
            "v1|m|docs",
            "v1|m|where",
            "v1|m|officer",
            "v1|m|data",
        ]
        await person.say("/start")  # the language is kept: straight to the welcome
        assert "Decision 22/2023" in person.text
        await person.say("/ngonngu")
        await person.press("ភាសាខ្មែរ")
        assert person.button("សំណួរ")  # the menu in Khmer
        await person.press_data("v1|lang|fr")
        assert "🇰🇭" not in person.text and person.buttons()  # an unknown language: the menu again


async def test_a_question_before_start_is_answered_in_the_language_it_is_written_in(
    database_url: str,
) -> None:
    """A phone set to English says little about its owner: a question typed in Vietnamese (without
    diacritics) is answered in Vietnamese, and an English one in English."""
    async with bot_world(database_url) as world:
        person = world.person(lang_hint="en")
        await person.say("lai suat bao nhieu")
        assert "6,6%/năm" in person.text
        assert person.button("Menu")
        other = world.person("1002", lang_hint="en")
        await other.say("what is the interest rate")
        assert "6.6%" in other.text


async def test_free_text_answers_did_you_mean_and_fallback(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.say("/start")
        await person.press("Tiếng Việt")
        await person.say("lai suat bn")
        assert "6,6%" in person.text and "Căn cứ" in person.text
        related = [b for b in person.buttons() if b.data.startswith("v1|t|")]
        assert related  # follow-up topics
        await person.press_data(related[0].data)
        assert "Căn cứ" in person.text
        await person.say("thời tiết hôm nay thế nào")
        assert "Xin lỗi" in person.text and person.button("Hỏi đáp")
        await person.press("Hỏi đáp")
        assert person.button("Lãi suất")
        await person.press("Cần giấy tờ gì")
        assert "Căn cứ" in person.text


async def test_unreadable_messages_get_a_helpful_answer(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        for kind in ["sticker", "photo", "voice", "video", "document", "location", "other"]:
            await person.send_junk(kind)
            assert "chỉ đọc được chữ và nút bấm" in person.text
            assert person.button("Hỏi đáp")


async def test_junk_text_and_buttons_never_break_the_conversation(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.say("/start")
        await person.press("Tiếng Việt")
        await person.press("Kiểm tra điều kiện")
        await person.press("Tôi")
        for junk in ["😀😀😀", "a" * 4000, "ພາສາລາວ", "\u200b", "   ", "/", "//", "/start@other_bot extra"]:
            replies = await person.say(junk)
            assert replies, junk
            assert all(len(r.text) <= 4096 for r in replies)
        await person.press("Kiểm tra điều kiện")
        await person.press("Tôi")
        for data in [
            "",
            "junk",
            "v0|a|x|y",
            "v1",
            "v1|",
            "v1|a",
            "v1|zz|1",
            "ld|x|view",
            "ld|" + "f" * 32 + "|hack",
        ]:
            await person.press_data(data)
            assert "tin nhắn cũ" in person.text, data
            assert "trường hợp nào" in person.text  # the screening goes on where it was
        await person.say("/lenhkhongco")
        assert "không có lệnh này" in person.text
        await person.say("/huy")
        assert "Đã hủy" in person.text
        await person.say("/huy")
        assert "Không có việc gì" in person.text


async def test_where_to_go_finds_the_commune_and_its_contacts(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.press_data("v1|m|where")
        await person.say("Long Phú")
        await person.press("Xã Long Phú")
        assert "Công an xã Long Phú" in person.text
        assert "chưa được xác nhận" in person.text  # the bank office list is a seed, not confirmed
        await person.press_data("v1|m|where")  # remembered
        assert "Công an xã Long Phú" in person.text
        await person.press("Xã/phường khác")
        await person.say("phu tam")
        assert "Công an xã Phú Tâm" in person.text


async def test_talk_to_an_officer_offers_the_referral_after_a_result(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.press_data("v1|m|officer")
        assert person.button("Kiểm tra điều kiện rồi gửi")
        person = await screened(world, "1002")
        await person.press_data("v1|m|officer")
        assert person.button("Gửi yêu cầu cho cán bộ")


async def test_my_data_and_erasing_it(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await screened(world)
        await person.press("Gửi yêu cầu")
        await person.press("Đồng ý gửi")
        await person.say("Lê Văn Tư")
        await person.say("0987654321")
        await person.say("phuong my xuyen")
        await person.press("Gửi yêu cầu")
        await person.say("/dulieu")
        assert "Lê Văn Tư" in person.text and "0987654321" in person.text and "Phường Mỹ Xuyên" in person.text
        await person.press("Xóa dữ liệu")
        assert "Không lấy lại được" in person.text
        await person.press("Không, giữ lại")
        assert "Không xóa" in person.text
        await person.press_data("v1|del|yes")  # the old "yes" after answering "no"
        assert "tin nhắn cũ" in person.text
        await person.say("/xoadulieu")
        await person.press("Có, xóa hết")
        assert "Đã xóa" in person.text
        assert await person.state() == {}
        with Session(world.engine) as session:
            (lead,) = session.exec(select(Lead)).all()
        assert lead.contact_name is None and lead.contact_phone is None and lead.channel_user is None
        assert lead.status == "withdrawn" and lead.answers == {}
        await person.say("/dulieu")
        assert "Lê Văn Tư" not in person.text and "chưa gửi yêu cầu nào" in person.text


async def test_reminder_after_release(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.press_data("v1|m|check")
        await person.press("Tôi")
        await person.press("Vẫn đang ở trong trại")
        await person.say("06/2027")
        await person.press("Học nghề")
        await person.press("Bỏ qua")
        await person.press("Không")
        await person.press("Nhắc tôi")
        assert "01/07/2027" in person.text and "không ghi điều gì riêng tư" in person.text
        assert not [b for b in person.buttons() if "Nhắc tôi" in b.label]
        with Session(world.engine) as session:
            (followup,) = session.exec(select(Followup)).all()
        assert (followup.channel_user, followup.kind, followup.remind_on) == (
            "1001",
            "after_release",
            date(2027, 7, 1),
        )


async def test_reminders_are_telegram_only(database_url: str) -> None:
    async with bot_world(database_url, channel="chat") as world:
        person = world.person("local")
        await person.press_data("v1|m|check")
        await person.press("Tôi")
        await person.press("Vẫn đang ở trong trại")
        await person.say("06/2027")
        await person.press("Học nghề")
        await person.press("Bỏ qua")
        await person.press("Không")
        await person.press("Nhắc tôi")
        assert "chưa đặt được lời nhắc" in person.text and "01/07/2027" in person.text


async def test_two_workers_on_one_conversation_both_apply(database_url: str) -> None:
    """As two webhook workers handling two quick presses of one person: a stale write is retried on
    the fresh state, so neither press is lost."""
    async with bot_world(database_url) as world:
        services = world.services
        await run_event(services, "1001", from_text("/start"))
        for _ in range(3):
            await asyncio.gather(
                run_event(services, "1001", Press("v1|lang|en")),
                run_event(services, "1001", Press("v1|m|check")),
            )
        state = (await services.api.load_state("telegram", "1001")).state
        assert state["lang"] == "en"
        assert state["flow"]["name"] == "screening"


async def test_a_state_from_an_older_version_or_a_broken_one_starts_afresh(database_url: str) -> None:
    async with bot_world(database_url) as world:
        api, person = world.services.api, world.person()
        await api.save_state("telegram", "1001", {"lang": "en", "flow": {"name": "wizard", "step": 9}}, 0)
        await person.say("/huy")
        assert "nothing in progress" in person.text  # no flow any more, the language kept
        stored = await api.load_state("telegram", "1001")
        broken = {"v": 1, "lang": "vi", "flow": {"name": "screening", "answers": "garbage"}}
        await api.save_state("telegram", "1001", broken, stored.version)
        await person.say("có")
        assert "bắt đầu lại từ menu" in person.text and person.button("Hỏi đáp")
        assert "flow" not in await person.state()


async def test_a_question_typed_where_a_commune_is_expected_is_answered(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.press_data("v1|m|where")
        await person.say("lãi suất bao nhiêu")
        assert "6,6%" in person.text and "xã/phường nào" in person.text
        await person.say("zzzz")
        assert "chưa tìm thấy" in person.text
