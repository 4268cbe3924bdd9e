"""Officers in chat: link with a one-time code, then work a lead from the API's buttons."""

from __future__ import annotations

from api.roles import Role
from contract.leads import LeadPublic
from tests.bot_harness import Person, World, bot_world
from tests.harness import COMMUNE_A, COMMUNE_B
from tests.test_bot_referral import screened

OFFICER_CHAT = "5001"


async def referred(world: World) -> LeadPublic:
    person = await screened(world)
    await person.press("Gửi yêu cầu")
    await person.press("Đồng ý gửi")
    await person.say("Nguyễn Văn An")
    await person.say("0912345678")
    await person.say("phuong my xuyen")
    await person.press("Gửi yêu cầu")
    (lead,) = await world.services.api.my_leads("telegram", "1001")
    return lead


async def linked_officer(world: World, commune: str = COMMUNE_A) -> Person:
    account = world.account(Role.COMMUNE_POLICE, commune, name="CA phường Mỹ Xuyên")
    officer = world.person(OFFICER_CHAT)
    await officer.say(f"/canbo {world.link_code(account)}")
    assert "Đã liên kết" in officer.text and "CA phường Mỹ Xuyên" in officer.text
    return officer


async def test_link_codes(database_url: str) -> None:
    async with bot_world(database_url) as world:
        officer = world.person(OFFICER_CHAT)
        await officer.say("/canbo")
        assert "/canbo MÃ" in officer.text
        await officer.say("/canbo WRONG123")
        assert "không đúng hoặc đã hết hạn" in officer.text
        account = world.account(Role.COMMUNE_POLICE, COMMUNE_A)
        code = world.link_code(account)
        await officer.say(f"/canbo {code.lower()}")
        assert "Đã liên kết" in officer.text
        someone_else = world.person("5002")
        await someone_else.say(f"/canbo {code}")  # a code works once
        assert "không đúng hoặc đã hết hạn" in someone_else.text


async def test_officer_views_and_moves_a_lead(database_url: str) -> None:
    async with bot_world(database_url) as world:
        officer = await linked_officer(world)
        lead = await referred(world)
        lead_id = lead.id
        await officer.press_data(f"ld|{lead_id}|view")
        text = officer.text
        assert str(lead.reference) in text
        assert "Nguyễn Văn An" in text and "0912345678" in text  # the number to call
        assert "Từng tiêu chí" in text
        assert "tình trạng thi hành án: Đã chấp hành xong án tù" in text
        assert "ngày trên giấy chứng nhận: 03/2024" in text
        assert "số tiền muốn vay: 50.000.000 đồng" in text
        assert [b.data for b in officer.buttons()] == [
            f"ld|{lead_id}|received",
            f"ld|{lead_id}|declined",
            f"ld|{lead_id}|view",
        ]
        await officer.press_data(f"ld|{lead_id}|received")
        assert "Đã tiếp nhận" in officer.text
        assert officer.button("Đã liên hệ") and officer.button("Đã vào danh sách tháng")
        await officer.press_data(f"ld|{lead_id}|received")  # an old button: the lead moved on
        assert "trạng thái khác" in officer.text and "Đã tiếp nhận" in officer.text
        await officer.press("Đã vào danh sách tháng")
        (mine,) = await world.services.api.my_leads("telegram", "1001")
        assert mine.status == "listed"


async def test_decline_with_a_reason_from_the_list_or_a_note(database_url: str) -> None:
    async with bot_world(database_url) as world:
        officer = await linked_officer(world)
        lead = await referred(world)
        await officer.press_data(f"ld|{lead.id}|declined")
        reasons = [b.data for b in officer.buttons()]
        assert f"v1|dr|{lead.id}|not_resident" in reasons
        await officer.press("giữ nguyên")
        assert "Không đổi" in officer.text
        await officer.press_data(f"ld|{lead.id}|declined")
        await officer.press("Lý do khác")
        await officer.say("Đã chuyển đi tỉnh khác")
        assert "Không tiếp nhận — Lý do khác" in officer.text  # the reason chosen, not "not eligible"
        assert "Đã chuyển đi tỉnh khác" in officer.text
        (mine,) = await world.services.api.my_leads("telegram", "1001")
        assert mine.status == "declined" and mine.decline_reason == "other"


async def test_refusals_become_plain_words(database_url: str) -> None:
    async with bot_world(database_url) as world:
        lead = await referred(world)
        stranger = world.person("7001")
        await stranger.press_data(f"ld|{lead.id}|view")
        assert "chưa liên kết" in stranger.text
        other = await linked_officer(world, COMMUNE_B)
        await other.press_data(f"ld|{lead.id}|received")
        assert "Không tìm thấy hồ sơ" in other.text
        await other.press_data(f"ld|{'0' * 32}|view")
        assert "Không tìm thấy hồ sơ" in other.text
        await other.press_data("ld|not-a-lead-id|view")
        assert "tin nhắn cũ" in other.text
