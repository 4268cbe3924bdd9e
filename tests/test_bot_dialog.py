"""Issue 17 in conversation: typed intents to act, dates/numbers/phones as people say them, "không nhớ
rõ", asking for a family member (consent confirmed by the officer's first call), "hồ sơ của tui"
after sending, the contacts card, an address in another province. Ends with the two done-when
people: a mother asking for her son, and a man typing only without diacritics; neither ever gets
the FAQ's fallback reply."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from api.actor import Actor
from api.models import Account, Lead
from api.roles import Role
from api.services import loop
from api.wards import ward_province
from bot.faq_answers import get_faq_service
from content.catalog import get_content
from tests.bot_harness import Person, World, bot_world
from tests.harness import COMMUNE_A, COMMUNE_B
from tests.test_bot_officer import linked_officer, referred
from tests.test_bot_screening import answer_released_person, start_screening

FALLBACKS = {get_faq_service().fallback_text(lang) for lang in ("vi", "en", "km")}


class Careful:
    """A person whose every reply is checked: never the FAQ's long fallback."""

    def __init__(self, person: Person) -> None:
        self.person = person
        self.seen: list[str] = []

    async def say(self, text: str) -> str:
        await self.person.say(text)
        return self._check()

    async def press(self, label: str) -> str:
        await self.person.press(label)
        return self._check()

    def _check(self) -> str:
        text = self.person.text
        self.seen.append(text)
        assert not any(fallback.strip() and fallback.strip() in text for fallback in FALLBACKS), text
        return text


async def _begin(world: World, user: str) -> Careful:
    person = Careful(world.person(user))
    await person.say("/start")
    await person.press("Tiếng Việt")
    return person


async def test_typed_intents_act_anywhere(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await _begin(world, "2001")
        text = await person.say("xem tui co duoc vay ko")
        assert "Ai muốn vay vốn?" in text
        text = await person.say("quay lai")
        assert "Đã dừng kiểm tra" in text
        text = await person.say("huy")
        assert "Không có việc gì đang làm dở" in text
        text = await person.say("ho so cua tui")
        assert "chưa gửi hồ sơ nào" in text
        text = await person.say("gui cho can bo")
        assert "cần hỏi vài câu" in text and "Ai muốn vay vốn?" in text
        text = await person.say("nhac tui")
        assert "Nhắc tôi" in text
        text = await person.say("tiep theo tui phai lam gi")
        assert "Các bước" in text
        text = await person.say("bao lau thi co tien")
        assert "không hứa trước được ngày có tiền" in text
        text = await person.say("gap can bo")  # in the middle of the check: it goes on afterwards
        assert "liên lạc với bạn" in text and "Bấm nút" not in text
        await person.press("Tiếp tục phần đang làm")
        assert "Ai muốn vay vốn?" in person.person.text
        text = await person.say("doi ngon ngu")
        assert "Choose a language" in text
        await person.press("Tiếng Việt")
        text = await person.say("xoa thong tin")
        assert "Bạn chắc chứ?" in text
        await person.press("Không, giữ lại")


async def test_typed_intents_in_khmer(database_url: str) -> None:
    """Khmer typed without spaces, colloquial and polite, routed like the Vietnamese commands."""
    async with bot_world(database_url) as world:
        person = Careful(world.person("2011"))
        await person.say("/start")
        await person.press("ខ្មែរ")
        text = await person.say("ពិនិត្យលក្ខខណ្ឌ")  # check the conditions
        assert "1." in text and person.person.button("បោះបង់")
        text = await person.say("ថយក្រោយ")  # back, on the first question: the check stops
        assert "ការពិនិត្យត្រូវបានបញ្ឈប់" in text
        text = await person.say("សូមបោះបង់ផង")  # cancel, please: nothing is in progress
        assert "គ្មានអ្វីកំពុងធ្វើ" in text
        await person.say("ចង់និយាយជាមួយមន្រ្តី")  # talk to an officer, "មន្រ្តី" as often typed
        assert person.person.button("ពិនិត្យលក្ខខណ្ឌ រួចផ្ញើសំណើ")
        text = await person.say("លុបព័ត៌មានខ្ញុំ")  # delete my information
        assert "តើអ្នកប្រាកដទេ?" in text
        await person.press("ទេ រក្សាទុក")
        text = await person.say("ខ្ចីបានរយៈពេលប៉ុន្មាន")  # the loan's term: a question, not "when"
        assert get_faq_service().topic_text("term", "km")[:40] in text


async def test_typed_intents_in_english(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = Careful(world.person("2012", lang_hint="en"))
        await person.say("/start")
        await person.press("English")
        text = await person.say("check if i can borrow")
        assert "Who wants to borrow?" in text
        text = await person.say("go back")
        assert "The check is stopped" in text
        text = await person.say("never mind")
        assert "nothing in progress to cancel" in text
        text = await person.say("talk to a person")
        assert "to contact you" in text
        assert person.person.button("✅ Check eligibility, then send a request")
        text = await person.say("delete my data please")
        assert "Are you sure?" in text
        await person.press("No, keep it")
        text = await person.say("does the bank check my criminal record")  # a question, not "check"
        assert "Who wants to borrow?" not in text


async def test_a_name_step_takes_only_whole_commands(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person("2002")
        await start_screening(person)
        await answer_released_person(person)
        await person.press("Gửi yêu cầu")
        await person.press("Đồng ý gửi")
        await person.say("Trần Văn Kiểm Tra")  # a name with command words in it is a name
        assert "Số điện thoại" in person.text
        await person.say("sdt tui 0912.345.678 nha")
        assert "0912345678" in person.text and "xã/phường" in person.text
        await person.say("quan 1 sai gon")
        assert "chỉ phục vụ người sống ở thành phố Cần Thơ" in person.text
        assert "Hồ Chí Minh" in person.text
        await person.say("huy")
        assert "Đã hủy, chưa gửi gì cả" in person.text


async def test_dates_and_amounts_as_people_say_them(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person("2003")
        await start_screening(person)
        await person.press("Tôi")
        await person.press("chấp hành xong")
        await person.press("Có rồi")
        await person.say("thang 11")  # a month before the year: the year is asked
        assert "Tháng 11 năm nào?" in person.text
        await person.press("2024")
        assert "mục đích" in person.text.lower() or "vay để làm gì" in person.text
        await person.press("⬅")
        await person.say("năm ngoái")
        assert "Năm 2025, tháng mấy?" in person.text
        await person.say("thang 3")
        await person.press("Sản xuất")
        await person.say("khoảng năm chục triệu")
        await person.say("ko")
        state = await person.state()
        result = state["result"]
        assert isinstance(result, dict)
        assert result["answers"]["release_date"] == "2025-03"
        assert result["answers"]["amount"] == 50_000_000
        assert result["outcome"] == "likely_eligible"


async def test_unknown_release_date_goes_on_and_says_what_to_check(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person("2004")
        await start_screening(person)
        await person.press("Tôi")
        await person.press("chấp hành xong")
        await person.press("Có rồi")
        await person.press("Không nhớ rõ")
        await person.press("Sản xuất")
        await person.press("50.000.000")
        await person.press("Không")
        assert "Có khả năng đủ điều kiện" not in person.text  # never a false "eligible"
        assert "chưa nhớ rõ ngày trên giấy chứng nhận" in person.text
        state = await person.state()
        result = state["result"]
        assert isinstance(result, dict)
        assert result["outcome"] == "needs_review"
        assert result["answers"]["release_date"] == "unknown"


async def test_typed_dont_know_for_the_date(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person("2005")
        await start_screening(person)
        await person.press("Tôi")
        await person.press("chấp hành xong")
        await person.press("Có rồi")
        await person.say("ko biet")
        assert "vay để làm gì" in person.text


async def test_out_of_area_in_where_to_go_does_not_loop(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await _begin(world, "2006")
        await person.press("Nơi liên hệ")
        text = await person.say("ha noi")
        assert "Hà Nội" in text and "thành phố Cần Thơ" in text
        assert "Ngân hàng Chính sách xã hội" in text
        assert person.person.button("Kiểm tra điều kiện")  # the menu, not the same question again
        text = await person.say("lai suat bao nhieu")  # the flow has ended: questions are answered
        assert "xã/phường nào" not in text


async def test_contacts_card_has_tap_to_call_hours_and_free(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await _begin(world, "2007")
        await person.press("Nơi liên hệ")
        text = await person.say("Ninh Kiều")
        assert "Công an phường Ninh Kiều" in text
        assert "Địa chỉ:" in text and "Điện thoại:" in text and "Giờ làm việc:" in text
        assert "chưa có trong dữ liệu" in text  # nothing invented
        assert "Miễn phí: không ai được thu tiền làm hồ sơ" in text


async def _send(person: Careful, commune: str = "Ninh Kiều") -> None:
    await person.say("Nguyễn Văn Tèo")
    await person.say("sdt no 0912.345.678 nha")
    await person.say(commune)
    text = await person.say("gui di")
    assert "Đã gửi. Mã hồ sơ" in text


async def test_done_when_a_mother_asks_for_her_son(database_url: str) -> None:
    async with bot_world(database_url) as world:
        mother = await _begin(world, "3001")
        text = await mother.say("kiểm tra giùm thằng con trai tui")
        assert "người nhà của bạn thuộc trường hợp nào" in text  # the third person, at once
        await mother.press("chấp hành xong")
        text = await mother.say("có rồi")
        assert "Giấy chứng nhận của người nhà bạn" in text
        await mother.say("tết năm ngoái")
        text = await mother.press("Sản xuất")
        assert "Người nhà của bạn muốn vay bao nhiêu" in text
        await mother.say("tầm năm chục triệu")
        text = await mother.say("không")
        assert "Có khả năng đủ điều kiện" in text
        text = await mother.say("gửi cho cán bộ giùm tui")
        assert "Bạn đang gửi giúp người nhà" in text and "hỏi người đó có đồng ý không" in text
        await mother.press("Đồng ý gửi")
        await _send(mother)
        text = await mother.say("hồ sơ của tui")
        assert "Hạn tiếp nhận" in text and "Công an phường Ninh Kiều" in text
        (lead,) = await world.services.api.my_leads("telegram", "3001")
        assert lead.on_behalf is True and lead.consent_pending is True
        # The officer's card says the person's own agreement is to be asked on the first call.
        account = world.account(Role.COMMUNE_POLICE, lead.commune_code, name="CA phường Ninh Kiều")
        officer = world.person("7001")
        await officer.say(f"/canbo {world.link_code(account)}")
        await officer.press_data(f"ld|{lead.id}|view")
        assert "Người nhà gửi giúp" in officer.text and "Chưa xác nhận" in officer.text
        # The first call done and the person agreeing: "contacted" records it.
        await officer.press_data(f"ld|{lead.id}|received")
        await officer.press_data(f"ld|{lead.id}|contacted")
        (lead,) = await world.services.api.my_leads("telegram", "3001")
        assert lead.status == "contacted" and lead.consent_pending is False
        await officer.press_data(f"ld|{lead.id}|view")
        assert "Người nhà gửi giúp" in officer.text and "Chưa xác nhận" not in officer.text


async def test_done_when_a_man_types_without_diacritics(database_url: str) -> None:
    async with bot_world(database_url) as world:
        man = await _begin(world, "3002")
        text = await man.say("kiem tra")
        assert "Ai muốn vay vốn?" in text
        text = await man.say("toi")
        assert "thuộc trường hợp nào" in text and "người nhà" not in text
        await man.say("da chap hanh xong an tu")
        await man.say("co roi")
        await man.say("thang truoc")
        await man.say("san xuat")
        await man.say("50tr")
        text = await man.say("ko")
        assert "Có khả năng đủ điều kiện" in text
        text = await man.say("gui cho can bo")
        await man.say("dong y")
        await _send(man, "ninh kieu")
        text = await man.say("ho so cua tui")
        assert "Mới" in text and "Tiếp theo" in text
        await man.say("/menu")
        text = await man.press("Hồ sơ của tôi")  # the same, as a button
        assert "Hạn tiếp nhận" in text
        leads = await world.services.api.my_leads("telegram", "3002")
        assert leads[0].on_behalf is False


async def test_my_file_shows_a_decline_reason_and_what_would_change_it(database_url: str) -> None:
    async with bot_world(database_url) as world:
        officer = await linked_officer(world)
        lead = await referred(world)
        await officer.press_data(f"ld|{lead.id}|declined")
        await officer.press_data(f"v1|dr|{lead.id}|not_resident")
        person = world.person("1001")
        await person.say("ho so cua tui")
        words = get_content().leads
        reason = words.decline_reason("not_resident")
        assert "Không tiếp nhận" in person.text
        assert reason.person.get("vi") in person.text and reason.remedy.get("vi") in person.text
        assert person.button("Dữ liệu của tôi")


async def test_a_business_types_numbers_in_words(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person("2008")
        await start_screening(person)
        await person.press("Cơ sở sản xuất")
        await person.press("Hộ kinh doanh")
        await person.press("Có")
        await person.say("khoảng 40 người")
        await person.say("năm người")
        await person.press("Có")  # the released workers hold their certificates
        await person.press("Đã ký")  # labour contracts
        await person.say("1 tỷ rưỡi")
        await person.say("khong")
        state = await person.state()
        result = state["result"]
        assert isinstance(result, dict)
        answers = result["answers"]
        assert (answers["total_workers"], answers["released_workers"]) == (40, 5)
        assert answers["amount"] == 1_500_000_000


async def test_a_language_named_is_chosen_at_once(database_url: str) -> None:
    """ "ខ្មែរ", "tieng khmer", "english please": the named language at once, not the menu again."""
    async with bot_world(database_url) as world:
        person = world.person("2040")
        await person.say("/start")
        await person.say("ខ្មែរ")
        assert (await person.state())["lang"] == "km"
        await person.say("english please")
        assert (await person.state())["lang"] == "en"
        await person.say("doi ngon ngu")  # no language named: the choice
        assert person.button("Tiếng Việt")


async def test_my_file_counts_the_receive_by_day_from_the_transfer(database_url: str) -> None:
    """ "Hạn tiếp nhận" is the day the present commune must receive the referral: its working days
    count from when the referral reached it (`assigned_at`), in Vietnam's time zone, as the
    escalation counts them; not from when it was first sent."""
    async with bot_world(database_url) as world:
        lead = await referred(world)
        assert lead.commune_code == COMMUNE_A and lead.assigned_at == lead.created_at
        # Sent Monday 2 March 2026 (09:00 local); the person moved and commune A passed it on
        # Thursday 5 March at 06:30 local, still Wednesday in UTC.
        sent, moved = datetime(2026, 3, 2, 2, 0, tzinfo=UTC), datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
        with Session(world.engine) as session:
            stored = session.get(Lead, lead.id)
            assert stored is not None
            stored.created_at = stored.assigned_at = sent
            session.add(stored)
            session.commit()
            officer = session.get(Account, world.account(Role.COMMUNE_POLICE, COMMUNE_A))
            assert officer is not None
            actor = Actor(officer, Role.COMMUNE_POLICE, (COMMUNE_A,))
            loop.transfer(
                session, actor, stored, COMMUNE_B, "chuyển nhà", ward_province(COMMUNE_A) or 0, moved
            )
        (lead,) = await world.services.api.my_leads("telegram", "1001")
        assert lead.assigned_at is not None and lead.assigned_at.replace(tzinfo=UTC) == moved
        person = world.person("1001")
        await person.say("ho so cua tui")
        # Two working days after Thursday 5 March: Friday 6, Monday 9 (from the first sending it
        # would be Wednesday 4; from the UTC day of the transfer, Friday 6).
        assert "chậm nhất ngày 09/03/2026" in person.text, person.text


async def test_how_long_until_the_money_after_sending(database_url: str) -> None:
    """After sending, "bao lau thi co tien" says no day can be promised and shows where the file is."""
    async with bot_world(database_url) as world:
        await referred(world)
        person = world.person("1001")
        await person.say("bao lau thi co tien")
        assert (
            "không hứa trước được ngày có tiền" in person.text
            and "Hồ sơ đã gửi đang ở bước này" in person.text
        )
        assert "Mã hồ sơ" in person.text or "BM-" in person.text
