"""A business owner in the conversation (issue 18), through the dialogue engine and the real API in
process: the business's own questions, consent and next steps; never a person's release date or the
police-list consent; the lead goes to the bank, which works it in its linked chat."""

from __future__ import annotations

from pathlib import Path

from api.roles import Role
from bot.engine.flows import referral
from bot.engine.turn import Turn
from tests.bot_harness import Person, World, bot_world
from tests.test_bot_screening import start_screening

BANK_CHAT = "7201"
RELEASE_DATE_PROMPT = "Giấy chứng nhận ghi ngày nào"


class Transcript:
    """Everything the bot said to one person, to check what it never said."""

    def __init__(self, person: Person) -> None:
        self.person = person
        self.texts: list[str] = []

    async def press(self, label: str) -> str:
        await self.person.press(label)
        self.texts.append(self.person.text)
        return self.person.text

    async def say(self, text: str) -> str:
        await self.person.say(text)
        self.texts.append(self.person.text)
        return self.person.text

    @property
    def all(self) -> str:
        return "\n".join(self.texts)


async def screened_business(world: World, user: str = "1301") -> Transcript:
    person = world.person(user)
    await start_screening(person)
    talk = Transcript(person)
    await talk.press("Cơ sở sản xuất")
    await talk.press("Hộ kinh doanh")
    await talk.press("Có")  # lawfully operating
    await talk.say("10")  # workers
    await talk.say("2")  # released workers
    assert "giấy chứng nhận chấp hành xong án phạt tù" in person.text and "5 năm" in person.text
    await talk.press("Có")  # they hold their certificates, within 5 years
    assert "hợp đồng lao động" in person.text
    await talk.press("Đã ký")
    await talk.press("300.000.000")
    await talk.press("Không")  # no same-purpose debt
    return talk


def _police_consent(world: World, user: str) -> str:
    """The individual's consent text, as the referral flow would show it."""
    turn = Turn({"lang": "vi"}, world.services, user)
    return referral.consent_text(turn)


async def test_a_business_owner_gets_the_business_path_to_the_end(database_url: str) -> None:
    async with bot_world(database_url) as world:
        talk = await screened_business(world)
        person = talk.person
        result = person.text
        assert "Có khả năng đủ điều kiện" in result
        assert "bảo đảm" in result  # collateral above 100 million
        assert "Mẫu số 02" in result and "Chưa được xác nhận" in result and "10%" in result
        consent = await talk.press("Gửi đề nghị cho Ngân hàng")
        assert "Ngân hàng Chính sách xã hội" in consent and "UBND xã/phường" in consent
        assert "Mẫu số 02" in consent and "/xoadulieu" in consent
        assert "Công an" not in consent
        await talk.press("Đồng ý gửi Ngân hàng")
        assert "Tên cơ sở" in person.text
        await talk.say("Hộ kinh doanh Bánh Pía Năm Lợi")
        assert "người đại diện" in person.text
        await talk.say("Trần Văn Lợi")
        assert "máy bàn" in person.text
        await talk.say("0299 3822 123")  # a fixed line
        assert "02993822123" in person.text
        assert "thực hiện ở xã/phường nào" in person.text or "thực hiện ở xã/phường nào" in talk.all
        await talk.say("xã Đại Tâm, Mỹ Xuyên")
        assert "Địa chỉ của cơ sở" in person.text
        await talk.say("123 Lê Lợi, khóm 3")
        summary = person.text
        assert "Phường Mỹ Xuyên" in summary and "Trần Văn Lợi" in summary and "Bánh Pía" in summary
        done = await talk.press("Gửi đề nghị")
        assert "Mã hồ sơ: BM-" in done
        # The business's own next steps.
        assert "giấy chứng nhận đăng ký" in done and "Hợp đồng lao động" in done
        assert "Mẫu số 02" in done and "100 triệu đồng" in done
        assert "Khi bạn đã có tên trong danh sách" not in done

        police_consent = _police_consent(world, person.user)
        assert police_consent not in talk.all
        assert "Họ và tên của người cần vay" not in talk.all
        assert RELEASE_DATE_PROMPT not in talk.all and "ngày ra trại" not in talk.all

        leads = await world.services.api.my_leads("telegram", person.user)
        assert len(leads) == 1
        lead = leads[0]
        assert lead.applicant == "business"
        assert lead.commune_code == "31684"
        assert lead.contact.phone == "02993822123"
        assert lead.contact.representative == "Trần Văn Lợi"
        assert lead.contact.address == "123 Lê Lợi, khóm 3"
        assert lead.consent["bank"] is True and lead.consent["police"] is False
        assert lead.consent["text_version"].startswith("tg-business-consent-2026-12-v1/vi/")
        assert lead.answers["workers_certified"] == "yes"
        assert lead.answers["labour_contracts"] == "yes"
        mine = await talk.say("/dulieu")
        assert "nơi thực hiện phương án: Phường Mỹ Xuyên" in mine and "người đại diện: Trần Văn Lợi" in mine
        assert "Công an" not in mine


async def test_a_person_still_gets_the_individual_path(database_url: str) -> None:
    from tests.test_bot_screening import answer_released_person

    async with bot_world(database_url) as world:
        person = world.person("1302")
        await start_screening(person)
        await answer_released_person(person)
        assert "Mẫu số 02" not in person.text
        await person.press("Gửi yêu cầu cho cán bộ")
        assert person.text == _police_consent(world, "1302")


async def test_the_business_phone_refuses_what_is_no_phone_and_workers_unknown_needs_review(
    database_url: str,
) -> None:
    async with bot_world(database_url) as world:
        person = world.person("1303")
        await start_screening(person)
        talk = Transcript(person)
        await talk.press("Cơ sở sản xuất")
        await talk.press("Hợp tác xã")
        await talk.press("Có")
        await talk.say("20")
        await talk.say("2")
        await talk.press("Không rõ")  # certificates: not sure
        await talk.press("Chưa ký")  # no labour contracts yet
        await talk.press("100.000.000")
        await talk.press("Không")
        assert "Chưa đủ điều kiện" in person.text or "not_eligible" in person.text or "❌" in person.text
        assert "hợp đồng lao động" in person.text
        # Not eligible: no request to send; the business's papers are still one press away.
        assert not [b for b in person.buttons() if "Gửi đề nghị" in b.label]
        assert [b for b in person.buttons() if "Hồ sơ vay của cơ sở" in b.label]


async def test_the_bank_works_a_business_lead_in_its_linked_chat(database_url: str) -> None:
    async with bot_world(database_url) as world:
        world.account(Role.BANK, "31684", name="PGD NHCSXH Mỹ Xuyên", chat_id=BANK_CHAT)
        talk = await screened_business(world, "1304")
        await talk.press("Gửi đề nghị cho Ngân hàng")
        await talk.press("Đồng ý gửi Ngân hàng")
        for typed in (
            "HTX Lúa Sạch Đại Tâm",
            "Lâm Thị Hoa",
            "0912 345 678",
            "xã Đại Tâm, Mỹ Xuyên",
            "ấp Đại Ân",
        ):
            await talk.say(typed)
        await talk.press("Gửi đề nghị")
        (lead,) = await world.services.api.my_leads("telegram", "1304")

        bank = world.person(BANK_CHAT)
        await bank.press_data(f"ld|{lead.id}|view")
        assert "Cơ sở: HTX Lúa Sạch Đại Tâm" in bank.text and "Người đại diện: Lâm Thị Hoa" in bank.text
        await bank.press("Đã tiếp nhận")
        assert "Đã tiếp nhận" in bank.text
        await bank.press("UBND xã đã xác nhận phương án")
        assert "UBND xã đã xác nhận phương án" in bank.text
        await bank.press_data(f"ld|{lead.id}|view")
        assert "/dangnhap" in bank.text  # the amount is recorded in the console
        await bank.press_data(f"ld|{lead.id}|declined")
        assert "Lý do không tiếp nhận" in bank.text
        await bank.press("Ngân hàng không chấp thuận")
        assert "Không tiếp nhận" in bank.text
        (declined,) = await world.services.api.my_leads("telegram", "1304")
        assert declined.status == "declined" and declined.decline_reason == "bank_refused"


def test_chat_cli_as_a_business_owner(tmp_path: Path) -> None:
    """`buocmoi chat`, as a business owner would type it: to the end, the business's own steps."""
    from tests.test_chat_cli import _chat, _text

    lines = [
        "/start",
        "1",  # Tiếng Việt
        "/kiemtra",
        "3",  # Cơ sở sản xuất, kinh doanh (after "Tôi" and "Người nhà tôi")
        "4",  # Hộ kinh doanh
        "1",  # hợp pháp: Có
        "10",
        "2",
        "1",  # giấy chứng nhận: Có
        "1",  # hợp đồng lao động: Đã ký
        "300 triệu",
        "2",  # nợ cùng mục đích: Không
        "1",  # Gửi đề nghị cho Ngân hàng
        "1",  # Đồng ý
        "Hộ kinh doanh Bánh Pía Năm Lợi",
        "Trần Văn Lợi",
        "0299 3822 123",
        "xã Đại Tâm, Mỹ Xuyên",
        "123 Lê Lợi, khóm 3",
        "1",  # Gửi đề nghị
    ]
    out = _chat(tmp_path, lines)
    texts = [_text(line) for line in out]
    everything = "\n".join(texts)
    assert "Công an" not in texts[12]  # the business's consent
    assert "Ngân hàng Chính sách xã hội" in texts[12]
    assert "Mã hồ sơ: BM-" in texts[-1] and "Mẫu số 02" in texts[-1]
    assert RELEASE_DATE_PROMPT not in everything
    assert "Họ và tên của người cần vay" not in everything


async def test_the_business_path_speaks_khmer_and_english(database_url: str) -> None:
    """Every new string has its en and km translation: the business's consent and next steps."""
    async with bot_world(database_url) as world:
        for lang, button, agree, bank in (
            ("en", "English", "I agree", "Bank for Social Policies"),
            ("km", "ភាសាខ្មែរ", "យល់ព្រម", "ធនាគារគោលនយោបាយសង្គម"),
        ):
            person = world.person(f"14{lang}")
            await person.say("/start")
            await person.press(button)
            await person.say("/kiemtra")
            for number in ("2", "4", "1", "10", "2", "1", "1", "300000000", "2"):
                await person.say(number)
            await person.press_data(next(b.data for b in person.buttons() if b.data.endswith("|r|send")))
            consent = person.text
            assert bank in consent and "Trước khi gửi" not in consent
            await person.press(agree)
            for typed in (
                "HTX Lua Sach",
                "Lam Thi Hoa",
                "0299 3822 123",
                "xã Đại Tâm, Mỹ Xuyên",
                "ấp Đại Ân",
            ):
                await person.say(typed)
            await person.press_data(next(b.data for b in person.buttons() if b.data.endswith("|ok|send")))
            assert "BM-" in person.text and "Cơ sở chuẩn bị" not in person.text
