"""Issue 17 through the engine (with the real API in process) and through the fake Bot API: a crisis is
answered first at any step, and the step goes on afterwards; small talk is short; km/en free text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot_harness import Person, World, bot_world
from tests.fakes.bot_api import FakeBotApi
from tests.servers import serving
from tests.telegram_harness import TgUser, serving_bot


async def _checking_for_myself(world: World) -> Person:
    """A person in Vietnamese who started the check for themself (its second question is asked)."""
    person = world.person()
    await person.say("/start")
    await person.press("Tiếng Việt")
    await person.press("Kiểm tra điều kiện")
    await person.press("Tôi")
    return person


async def test_crisis_inside_the_screening_is_answered_first_and_the_step_goes_on(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = await _checking_for_myself(world)
        before = await person.state()
        completed = person.button("chấp hành xong").data  # a button of the question being asked
        await person.say("tui chan qua, muon chet cho roi")
        assert "113" in person.text and "115" in person.text
        assert person.button("Gặp cán bộ")
        after = await person.state()
        assert after["flow"] == before["flow"]  # nothing of the screening was lost
        await person.press_data(completed)  # the step goes on
        assert "3." in person.text


async def test_the_officer_button_after_a_crisis_keeps_the_check_and_says_how_to_reach_one(
    database_url: str,
) -> None:
    """The crisis answer offers "Gặp cán bộ": pressing it says how an officer comes to call (not "press
    the button"), keeps every answer given, and "Tiếp tục" goes back to the question being asked."""
    async with bot_world(database_url) as world:
        person = await _checking_for_myself(world)
        await person.press("chấp hành xong")
        before = await person.state()
        await person.say("tui chan qua, muon chet cho roi")
        await person.press("Gặp cán bộ")
        assert "liên lạc với bạn" in person.text and "Công an xã/phường" in person.text
        assert "trong menu" not in person.text
        assert (await person.state())["flow"] == before["flow"]
        await person.press("Tiếp tục phần đang làm")
        assert "giấy chứng nhận" in person.text.lower()
        await person.press("Có rồi")
        assert (await person.state())["flow"]["answers"]["release_status"] == "completed"  # type: ignore[index]


async def test_crisis_in_the_referral_steps_and_from_the_menu(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person(lang_hint="en")
        await person.say("/start")
        await person.press("English")
        await person.say("i want to kill myself")
        assert "113" in person.text and "Talk to an officer" in person.text
        await person.press("Talk to an officer")
        assert "officer" in person.text.lower()


async def test_neutral_words_are_not_a_crisis(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.say("/start")
        await person.press("Tiếng Việt")
        await person.say("nguoi vay chet thi ai tra no")
        assert "113" not in person.text


@pytest.mark.parametrize(
    ("text", "lang_button", "expected"),
    [
        ("cam on nhieu nha", "Tiếng Việt", "Không có gì"),
        ("alo", "Tiếng Việt", "Chào bạn"),
        ("thanks", "English", "welcome"),
        ("អរគុណ", "ខ្មែរ", "មិនអីទេ"),
    ],
)
async def test_small_talk_gets_a_short_kind_reply(
    database_url: str, text: str, lang_button: str, expected: str
) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.say("/start")
        await person.press(lang_button)
        await person.say(text)
        assert expected in person.text
        assert len(person.text) < 200


async def test_khmer_and_english_questions_are_answered_in_that_language(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person = world.person()
        await person.say("/start")
        await person.press("ខ្មែរ")
        await person.say("ការប្រាក់ប៉ុន្មាន")
        assert "មូលដ្ឋានច្បាប់៖" in person.text and "Căn cứ" not in person.text
        other = world.person("1002")
        await other.say("/start")
        await other.press("English")
        await other.say("what is the interest rate")
        assert "Legal basis:" in other.text and "6.6%" in other.text


@pytest.fixture
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # `serve` keeps its token under the working directory


@pytest.mark.usefixtures("_workdir")
def test_crisis_through_telegram_during_the_screening(database_url: str) -> None:
    fake = FakeBotApi()
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url):
        person = TgUser(fake, 1001)
        person.say("/start")
        person.press("Tiếng Việt")
        person.press("Kiểm tra điều kiện")
        person.press("Tôi")
        completed = next(b["callback_data"] for b in person.buttons() if "chấp hành xong" in b["text"])
        person.say("toi khong muon song nua")
        assert "113" in person.text and "115" in person.text
        assert any("Gặp cán bộ" in b["text"] for b in person.buttons())
        person.press_data(completed)
        assert "3." in person.text


async def test_answers_come_in_the_language_the_person_writes(database_url: str) -> None:
    """Before choosing a language, Khmer or an English sentence is answered in it (and kept as the
    person's language); once Khmer is chosen, a Vietnamese cry for help is answered in Vietnamese."""
    async with bot_world(database_url) as world:
        khmer = world.person("3101")
        await khmer.say("ការប្រាក់ប៉ុន្មាន")
        assert "អត្រាការប្រាក់" in khmer.text
        assert (await khmer.state())["lang"] == "km"
        english = world.person("3102")
        await english.say("how much can I borrow")
        assert "borrow" in english.text.lower() and "Vay" not in english.text
        chose = world.person("3103")
        await chose.say("/start")
        await chose.press("ខ្មែរ")
        await chose.say("tui chan qua, muon chet cho roi")
        assert "113" in chose.text and "Bạn không phải chịu một mình" in chose.text
        assert (await chose.state())["lang"] == "km"


async def test_a_guess_about_eligibility_offers_the_check(database_url: str) -> None:
    """ "tui moi ra tu nam ngoai muon vay tien mo tiem sua xe" gets a "did you mean" whose guesses
    include eligibility topics: the check itself is offered first, for a relative when asked for one."""
    async with bot_world(database_url) as world:
        person = world.person("3201")
        await person.say("tui moi ra tu nam ngoai muon vay tien mo tiem sua xe")
        assert person.buttons()[0].data == "v1|m|check"
        mother = world.person("3202")
        await mother.say("con trai tui moi ra tu nam ngoai muon vay tien mo tiem sua xe")
        assert "Có phải bạn muốn hỏi" in mother.text
        assert mother.buttons()[0].data == "v1|m|check_family"
