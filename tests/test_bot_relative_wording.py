"""On behalf of a relative (a mother asking for her son): every text after the family choice speaks of
"người nhà của bạn" (en: "your relative", km: សាច់ញាតិរបស់អ្នក), never as if the reader were the
released person; the self path keeps its own texts (test_bot_screening, test_bot_referral)."""

from __future__ import annotations

import re

import pytest

from content.catalog import get_content
from tests.bot_harness import Person, bot_world

# The buttons by their data, so the same walk runs in every language.
LANGS = {"vi": "Tiếng Việt", "en": "English", "km": "ភាសាខ្មែរ"}
RELATIVE = {"vi": "người nhà của bạn", "en": "your relative", "km": "សាច់ញាតិរបស់អ្នក"}
# What the released person's own wording says; never shown to a relative.
OWN = {
    "vi": ("của bạn, bạn có khả năng", "thông tin của bạn", "nơi bạn ở", "đưa bạn vào", "Khi bạn đã có tên"),
    "en": ("you are likely eligible", "your information", "where you live", "once you are on the list"),
    "km": ("តាមចម្លើយរបស់អ្នក អ្នកទំនង", "ព័ត៌មានរបស់អ្នក"),
}


async def _screen_for_relative(person: Person, lang: str) -> str:
    await person.say("/start")
    await person.press(LANGS[lang])
    await person.press_data("v1|m|check")
    await person.press_data("v1|a|applicant|family")
    assert RELATIVE[lang] in person.text.casefold() or RELATIVE[lang] in person.text
    await person.press_data("v1|a|release_status|completed")
    await person.press_data("v1|a|has_certificate|yes")
    await person.press_data("v1|y|release_date|2024")
    await person.press_data("v1|mo|release_date|2024|3")
    await person.press_data("v1|a|purpose|production")
    await person.press_data("v1|amt|amount|50000000")
    await person.press_data("v1|a|same_purpose_debt|no")
    return person.text


@pytest.mark.parametrize("lang", ["vi", "en", "km"])
async def test_result_and_consent_speak_of_the_relative(database_url: str, lang: str) -> None:
    async with bot_world(database_url) as world:
        mother = world.person("3101")
        result = await _screen_for_relative(mother, lang)
        summary = get_content().screening.outcomes["likely_eligible"].relative
        assert summary is not None and summary.summary is not None
        assert summary.summary.get(lang) in result
        assert RELATIVE[lang] in result.casefold() or RELATIVE[lang] in result
        await mother.press_data("v1|r|send")
        consent = mother.text
        assert RELATIVE[lang] in consent.casefold() or RELATIVE[lang] in consent, consent
        for own in OWN[lang]:
            assert own.casefold() not in result.casefold(), own
            assert own.casefold() not in consent.casefold(), own


async def test_the_whole_referral_speaks_of_the_relative_in_vietnamese(database_url: str) -> None:
    async with bot_world(database_url) as world:
        mother = world.person("3102")
        result = await _screen_for_relative(mother, "vi")
        assert "người nhà của bạn có khả năng đủ điều kiện" in result
        assert "bạn có khả năng" not in result.replace("người nhà của bạn có khả năng", "")
        await mother.press_data("v1|r|send")
        consent = mother.text
        assert "thông tin của bạn" not in consent and "nơi bạn ở" not in consent
        assert "Bạn có đồng ý gửi các thông tin này giúp người nhà của bạn không?" in consent
        await mother.press_data("v1|c|both")
        assert "Họ và tên của người nhà bạn là gì?" in mother.text
        await mother.say("Nguyễn Văn Tèo")
        await mother.say("0912345678")
        assert "Người nhà của bạn đang sống ở xã/phường nào?" in mother.text
        await mother.say("Ninh Kiều")
        assert "• Họ tên người nhà của bạn: Nguyễn Văn Tèo" in mother.text
        await mother.press_data("v1|ok|send")
        sent = mother.text
        assert "Mã hồ sơ của người nhà bạn" in sent and "gọi theo số 0912345678" in sent
        assert "Khi người nhà của bạn đã có tên trong danh sách" in sent
        assert "gọi cho bạn" not in sent and "Khi bạn đã có tên" not in sent
        await mother.press_data("v1|m|file")
        assert "gọi theo số điện thoại đã gửi" in mother.text and "gọi cho bạn" not in mother.text


async def test_a_relative_still_inside_gets_the_third_person_reasons(database_url: str) -> None:
    async with bot_world(database_url) as world:
        mother = world.person("3103")
        await mother.say("/start")
        await mother.press("Tiếng Việt")
        await mother.press_data("v1|m|check")
        await mother.press_data("v1|a|applicant|family")
        await mother.press_data("v1|a|release_status|in_prison")
        assert "Nếu người nhà của bạn còn ở trong trại" in mother.text
        for _ in range(12):  # the rest, whatever the content asks: skip, "no", a year and month
            if "Chưa đến lúc" in mother.text:
                break
            data = [b.data for b in mother.buttons()]
            pick = next(
                (
                    d
                    for d in data
                    if d.split("|")[1] in ("skip", "y", "mo") or d.endswith(("|no", "|production"))
                ),
                None,
            )
            assert pick is not None, mother.text
            await mother.press_data(pick)
        text = mother.text
        assert "Người nhà của bạn vẫn đang chấp hành án" in text
        assert "Bây giờ người nhà của bạn chưa vay được" in text
        assert "Bạn vẫn đang chấp hành án" not in text
        assert "Nhắc tôi sau ngày người nhà ra trại" in str([b.label for b in mother.buttons()])


def test_every_relative_wording_is_complete_and_third_person() -> None:
    screening = get_content().screening
    worded = [rule for rule in screening.rules if rule.relative is not None]
    assert {"in_prison", "no_certificate", "certificate_unknown", "amount_capped"} <= {r.id for r in worded}
    for rule in worded:
        assert rule.relative is not None
        for field in ("explanation", "caveat", "remedy"):
            own, text = getattr(rule, field), getattr(rule.relative, field)
            if text is None:
                continue
            # Where the person's own text speaks to "bạn" / "you", the relative's speaks of them.
            if "bạn" in own.vi.casefold():
                assert "người nhà" in text.vi.casefold(), (rule.id, field)
            if re.search(r"\byou", own.en, re.IGNORECASE):
                assert "relative" in text.en, (rule.id, field)
            if "អ្នក" in own.km:
                assert "សាច់ញាតិ" in text.km or "អ្នក" not in text.km.replace("របស់អ្នក", ""), (rule.id, field)
    for outcome in ("likely_eligible", "not_yet", "not_eligible"):
        relative = screening.outcomes[outcome].relative
        assert relative is not None and relative.summary is not None
        assert (
            "người nhà của bạn" in relative.summary.vi and "your relative" in relative.summary.en.casefold()
        )


async def test_a_mothers_question_offers_the_check_for_her_son(database_url: str) -> None:
    """Typed as a mother types it: the answer invites the check for the relative, which then skips
    "who wants to borrow" and speaks of the son; a man asking for himself is offered his own check."""
    async with bot_world(database_url) as world:
        mother = world.person("3110")
        await mother.say("/start")
        await mother.press(LANGS["vi"])
        await mother.say("con tui moi ra tu muon vay von lam an duoc hong")
        assert mother.buttons()[0].label == "✅ Kiểm tra điều kiện cho người nhà"
        await mother.press("Kiểm tra điều kiện cho người nhà")
        assert RELATIVE["vi"] in mother.text.casefold()
        assert "Ai muốn vay vốn" not in mother.text

        man = world.person("3111")
        await man.say("/start")
        await man.press(LANGS["vi"])
        await man.say("tui moi ra tu muon vay von lam an duoc hong")
        assert man.buttons()[0].label == "✅ Kiểm tra điều kiện vay"
        await man.press("Kiểm tra điều kiện vay")
        assert "Ai muốn vay vốn" in man.text
