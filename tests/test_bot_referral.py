"""Referral in chat: consent, name, phone, commune, summary, the lead stored through the API."""

from __future__ import annotations

from bot.engine.events import Press
from tests.bot_harness import Person, World, bot_world
from tests.test_bot_screening import answer_released_person, start_screening


async def screened(world: World, user: str = "1001") -> Person:
    person = world.person(user)
    await start_screening(person)
    await answer_released_person(person)
    return person


async def typed_to_the_summary(person: Person, name: str, consent: str = "dong y") -> None:
    """Everything typed, no button: the request, consent, the name, a phone, a commune."""
    await person.say("gui cho can bo")
    await person.say(consent)
    await person.say(name)
    await person.say("0912345678")
    await person.say("phuong my xuyen")


async def consent_and_name(person: Person, consent: str = "Đồng ý gửi") -> None:
    await person.press("Gửi yêu cầu")
    assert "Công an xã/phường" in person.text and "Ngân hàng Chính sách xã hội" in person.text
    assert "/xoadulieu" in person.text
    await person.press(consent)
    await person.say("Nguyễn Văn An")


async def test_referral_with_an_old_address_creates_one_lead(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await screened(world)
        await consent_and_name(person)
        assert person.last[-1].request_contact  # the share-contact button
        await person.share_contact("84912345678")
        assert "0912345678" in person.text
        assert person.last[0].remove_keyboard  # the contact keyboard goes away
        await person.say("xã Đại Tâm, Mỹ Xuyên")  # the old (pre-2025) address
        assert "Phường Mỹ Xuyên" in person.text and "Nguyễn Văn An" in person.text
        await person.press("Gửi yêu cầu")
        assert "Mã hồ sơ" in person.text
        leads = await world.services.api.my_leads("telegram", "1001")
        assert len(leads) == 1
        lead = leads[0]
        assert lead.reference in person.text
        assert lead.commune_code == "31684"
        assert lead.contact is not None
        assert lead.contact.model_dump() == {
            "name": "Nguyễn Văn An",
            "phone": "0912345678",
            "birth_year": None,
            "gender": None,
            "address": None,
            "representative": None,
        }
        assert lead.consent["police"] and lead.consent["bank"]
        assert lead.consent["text_version"].startswith("tg-consent-2026-12-v3/vi/")
        assert lead.answers["release_date"] == "2024-03"
        state = await person.state()
        assert state["result"]["sent"] == lead.reference  # type: ignore[index]
        assert "flow" not in state and "Nguyễn" not in str(state)  # name and phone are not kept
        # The result's button again: already sent, no second lead.
        await person.press_data("v1|r|send")
        assert "đã gửi yêu cầu" in person.text
        assert len(await world.services.api.my_leads("telegram", "1001")) == 1


async def test_a_retry_after_a_lost_state_write_never_makes_a_second_lead(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await screened(world)
        await consent_and_name(person, consent="Chỉ gửi Công an")
        await person.say("0912 345 678")
        await person.say("Phường Mỹ Xuyên")
        api, before = world.services.api, await world.services.api.load_state("telegram", "1001")
        await person.press("Gửi yêu cầu")
        first = (await api.my_leads("telegram", "1001"))[0]
        assert first.consent["bank"] is False
        # As if the state write after the lead had failed: the summary is back, pressed again.
        now = await api.load_state("telegram", "1001")
        await api.save_state("telegram", "1001", before.state, now.version)
        await person.send(Press("v1|ok|send"))
        assert first.reference in person.text
        assert len(await api.my_leads("telegram", "1001")) == 1


async def test_bad_name_and_phone_are_asked_again_and_cancel_keeps_nothing(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await screened(world)
        await person.press("Gửi yêu cầu")
        await person.press("Đồng ý gửi")
        await person.say("12345")
        assert "họ và tên bằng chữ" in person.text
        await person.say("Trần Thị Bé")
        await person.say("0123")
        assert "chưa đúng số di động" in person.text and person.last[-1].request_contact
        # The keyboard's "Cancel" arrives as text and means the button.
        await person.say("✖ Hủy")
        assert "chưa gửi gì" in person.text
        assert await world.services.api.my_leads("telegram", "1001") == []
        state = await person.state()
        assert "Trần" not in str(state) and "kb" not in state


async def test_ambiguous_commune_offers_a_choice_and_the_summary_can_be_edited(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await screened(world)
        await consent_and_name(person)
        await person.say("0912345678")
        await person.say("không biết")
        assert "chưa tìm thấy" in person.text
        await person.say("Long Phú")
        assert person.button("Xã Long Phú") and person.button("Gõ lại")
        await person.press("Xã Long Phú")
        assert "Xã Long Phú" in person.text
        await person.press("Sửa họ tên")
        await person.say("Nguyễn Văn Bình")
        assert "Nguyễn Văn Bình" in person.text and "Bạn kiểm tra lại" in person.text  # back to the summary
        await person.press("Gửi yêu cầu")
        lead = (await world.services.api.my_leads("telegram", "1001"))[0]
        assert lead.contact is not None and lead.contact.name == "Nguyễn Văn Bình"
        assert lead.commune_name == "Xã Long Phú"


async def test_no_consent_sends_nothing(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await screened(world)
        await person.press("Gửi yêu cầu")
        await person.press("Không gửi")
        assert "không gửi gì" in person.text
        assert await world.services.api.my_leads("telegram", "1001") == []


async def test_referral_is_only_after_a_result(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.say("/start")
        await person.press_data("v1|r|send")
        assert "tin nhắn cũ" in person.text
        await person.press_data("v1|c|both")
        assert "tin nhắn cũ" in person.text
        assert await world.services.api.my_leads("telegram", "1001") == []


async def test_a_referral_typed_from_start_to_end_without_a_button(database_url: str) -> None:
    """A man who types everything, without diacritics: consent, name, phone, commune, and "dung roi"
    on the summary send it; "khong" there keeps it waiting for a correction."""
    async with bot_world(database_url) as world:
        person = await screened(world, "1010")
        await typed_to_the_summary(person, "nguyen van tam")
        assert "Tam" in person.text and "Phường Mỹ Xuyên" in person.text
        await person.say("khong")
        assert "bấm nút bên dưới" in person.text
        assert await world.services.api.my_leads("telegram", "1010") == []
        await person.say("dung roi")
        assert "Mã hồ sơ" in person.text
        [lead] = await world.services.api.my_leads("telegram", "1010")
        assert lead.contact is not None and lead.contact.name == "Nguyen Van Tam"
        assert lead.commune_code == "31684"


async def test_a_commune_the_api_refuses_is_asked_again_by_its_field(database_url: str) -> None:
    """The API refuses the commune (outside the province it serves) naming `commune_code` in the
    error's details: the bot asks for the commune again, and sends once it is accepted."""
    async with bot_world(database_url) as world:
        person = await screened(world)
        await consent_and_name(person)
        await person.say("0912345678")
        await person.say("Phường Mỹ Xuyên")
        assert "Bạn kiểm tra lại" in person.text
        state = world.app.state
        served = state.settings
        state.settings = served.model_copy(update={"province": 1})  # as if the API served Hà Nội
        await person.press("Gửi yêu cầu")
        assert "Thông tin chưa đúng" in person.text and "xã/phường nào" in person.text
        assert (await person.state())["flow"]["step"] == "commune"  # type: ignore[index]
        assert await world.services.api.my_leads("telegram", "1001") == []
        state.settings = served
        await person.say("Phường Mỹ Xuyên")
        await person.press("Gửi yêu cầu")
        assert "Mã hồ sơ" in person.text
        assert len(await world.services.api.my_leads("telegram", "1001")) == 1


async def test_consent_typed_in_a_sentence(database_url: str) -> None:
    """ "ok dong y", "no chiu roi, dong y gui het di em" agree; "khong dong y dau" does not."""
    async with bot_world(database_url) as world:
        person = await screened(world, "1011")
        await person.say("gui cho can bo")
        await person.say("khong dong y dau")
        assert "không gửi gì cả" in person.text
        await person.say("gui cho can bo")
        await person.say("no chiu roi, dong y gui het di em")
        assert "họ tên" in person.text.lower() or "tên" in person.text.lower()
        assert (await person.state())["flow"]["step"] == "name"  # type: ignore[index]


async def test_a_refusal_or_a_condition_is_never_taken_for_consent_or_sending(database_url: str) -> None:
    """Sending someone's name and phone is not done on a guess: "đồng ý nhưng đừng gửi ngân hàng" is
    no consent, and on the summary "đừng gửi", "không gửi cho cán bộ", "ok để tui suy nghĩ đã" send
    nothing; only the button or a plain yes does."""
    async with bot_world(database_url) as world:
        person = await screened(world, "1012")
        await person.say("gui cho can bo")
        await person.say("tôi đồng ý nhưng đừng gửi ngân hàng")
        assert (await person.state())["flow"]["step"] == "consent"  # type: ignore[index]
        await person.say("dong y")
        await person.say("Nguyễn Văn Bảy")
        await person.say("0912345678")
        await person.say("phuong my xuyen")
        for refusal in ("đừng gửi", "không gửi cho cán bộ", "ok để tui suy nghĩ đã", "dung gui"):
            await person.say(refusal)
            assert await world.services.api.my_leads("telegram", "1012") == [], refusal
        await person.say("ok gui di")
        assert "Mã hồ sơ" in person.text


async def test_a_correction_typed_on_the_summary(database_url: str) -> None:
    """ "sua ten lai" on the summary does what "✏️ Sửa họ tên" does (a grandmother who cannot press)."""
    async with bot_world(database_url) as world:
        person = await screened(world, "1013")
        await typed_to_the_summary(person, "tên nó là Trần Văn Hậu")
        assert "Trần Văn Hậu" in person.text and "tên nó là" not in person.text
        await person.say("sua ten lai di con")
        assert (await person.state())["flow"]["step"] == "name"  # type: ignore[index]
        await person.say("Trần Văn Hậu")
        assert await world.services.api.my_leads("telegram", "1013") == []
