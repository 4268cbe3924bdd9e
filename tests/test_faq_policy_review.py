"""Issue 17's policy review of the FAQ content: every answer follows the facts sheet."""

from __future__ import annotations

import pytest

from bot.faq_answers import MENU_LABELS, get_faq_service
from content.i18n import translator


@pytest.mark.parametrize("lang", ["vi", "en", "km"])
def test_privacy_promises_no_more_than_the_access_rules(lang: str) -> None:
    text = get_faq_service().topic_text("privacy", lang)
    for promise in ("Không ai khác", "Nobody else", "គ្មាននរណាផ្សេងទៀត"):
        assert promise not in text
    assert {"vi": "điều phối", "en": "coordinator", "km": "អ្នកសម្របសម្រួល"}[lang] in text


@pytest.mark.parametrize("lang", ["vi", "en", "km"])
def test_bot_help_names_only_the_menu_buttons_there_are(lang: str) -> None:
    text = get_faq_service().topic_text("bot_help", lang)
    for label in MENU_LABELS.values():
        assert translator(lang)(label) in text
    for gone in ("Giấy tờ cần chuẩn bị", "Nơi nộp hồ sơ"):
        assert gone not in text


def test_time_limit_example_follows_the_screening_rule() -> None:
    service = get_faq_service()
    assert "31/3/2027" in service.topic_text("time_limit", "vi")
    assert "31/3/2027" in service.topic_text("time_limit", "en")


@pytest.mark.parametrize(
    "topic", ["how_to_apply", "where_to_apply", "refused_help", "still_in_prison", "interest", "term"]
)
def test_medium_facts_are_said_to_be_unchecked_in_plain_words(topic: str) -> None:
    service = get_faq_service()
    assert "chưa kiểm chứng được với văn bản gốc" in service.topic_text(topic, "vi")
    assert "could not be checked against the original text" in service.topic_text(topic, "en")
    assert "độ tin cậy" not in service.topic_text(topic, "vi")


def test_unsourced_claims_are_gone() -> None:
    service = get_faq_service()
    assert "giới thiệu việc làm" not in service.topic_text("other_support", "vi")
    assert "job introduction" not in service.topic_text("other_support", "en")
    refused = service.topic_text("refused_help", "vi")
    assert "lý do bằng văn bản" not in refused


def test_the_bot_calls_itself_minh_in_vietnamese_answers() -> None:
    service = get_faq_service()
    for topic_id in service.content.faq.topics:
        answer = service.content.faq.topics[topic_id].answer.vi
        assert "chúng tôi" not in answer and not answer.startswith("Tôi ") and " Tôi " not in answer, topic_id
    assert "tôi" not in service.content.faq.texts.fallback.vi


def test_invented_due_dates_are_defaults_to_confirm_and_media_goes_to_culture() -> None:
    from content.catalog import get_content

    book = get_content().deadlines
    deadlines = {d.id: d for d in book.deadlines}
    for deadline_id in ("quarterly_media", "inspections", "budget_proposal"):
        wording = deadlines[deadline_id].wording
        assert "hạn dự kiến" in wording.vi and "cần xác nhận" in wording.vi
        assert "to be confirmed" in wording.en
    for deadline_id in ("monthly_list", "half_year_report", "annual_report"):  # dates the plan gives
        assert "dự kiến" not in deadlines[deadline_id].wording.vi
    assert {a.agency_kind for a in deadlines["quarterly_media"].assignees} == {"department_culture"}
    assert not book.targets.targets["person_loans"].confirmed
