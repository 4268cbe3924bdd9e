"""The words a person reads for a `Match`: an answer, a "did you mean" list, or the fallback."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.faq_matcher import FaqMatcher, Match
from bot.understanding.smalltalk import small_talk
from bot.understanding.understander import CRISIS, SMALLTALK, Understander
from content import faq_i18n
from content.catalog import Content, get_content
from content.faq import render
from content.faq_i18n import FaqI18n
from content.i18n import translator
from content.problems import Problem
from content.source import content_dir

# The menu button that reaches a person (bot/engine/flows/menu.py), named in the crisis and small-talk
# answers in the reader's language.
OFFICER_BUTTON = "👤 Gặp cán bộ"
# The menu's buttons (their msgids, as bot/engine/flows/menu.py writes them), named in answers.
MENU_LABELS = {
    "ask": "❓ Hỏi đáp",
    "check": "✅ Kiểm tra điều kiện vay",
    "docs": "📄 Giấy tờ cần mang",
    "where": "📍 Nơi liên hệ",
    "officer": OFFICER_BUTTON,
    "data": "🔒 Dữ liệu của tôi",
}


@dataclass(frozen=True)
class FaqService:
    """The matcher and the content it answers from; build once per process (`get_faq_service`)."""

    content: Content
    matcher: FaqMatcher  # the Vietnamese matcher
    i18n: FaqI18n
    understanding: Understander  # crisis, small talk, and a matcher per language

    @classmethod
    def build(cls, content: Content, root: Path | None = None) -> FaqService:
        problems: list[Problem] = []
        i18n = faq_i18n.load(root or content_dir(), set(content.faq.topics), problems)
        if i18n is None:
            raise ValueError("FAQ phrasings or care texts are invalid: " + "; ".join(map(str, problems)))
        understanding = Understander.build(content.faq, i18n)
        return cls(content, understanding.matchers["vi"], i18n, understanding)

    def care_text(self, topic_id: str, question: str, lang: str) -> str:
        """The crisis answer, or the small-talk answer that fits the question."""
        values = {"officer_button": translator(lang)(OFFICER_BUTTON)}
        care = self.i18n.care
        if topic_id == CRISIS:
            return render(care.crisis.get(lang), values)
        kind = small_talk(question) or "ok"
        return render(getattr(care.smalltalk, kind).get(lang), values)

    def _values(self, lang: str) -> dict[str, str]:
        deployment = self.content.deployment
        return {
            "reach_a_person": deployment.reach_a_person.get(lang),
            "retention_months": str(deployment.retention_months),
            "province_name": deployment.province_name.get(lang),
            **{f"button_{item}": translator(lang)(label) for item, label in MENU_LABELS.items()},
        }

    def topic_text(self, topic_id: str, lang: str) -> str:
        """A topic's answer with its legal basis (and a reminder when something is unconfirmed)."""
        faq = self.content.faq
        topic = faq.topics[topic_id]
        parts = [render(topic.answer.get(lang), self._values(lang))]
        if topic.confidence == "unconfirmed":
            parts.append(faq.texts.unconfirmed_note.get(lang))
        elif topic.confidence == "medium":
            parts.append(self.i18n.care.medium_note.get(lang))
        basis = "; ".join(self.i18n.basis(item, lang) for item in topic.basis)
        parts.append(f"{faq.texts.basis_label.get(lang)} {basis}")
        return "\n".join(parts)

    def fallback_text(self, lang: str) -> str:
        faq = self.content.faq
        return f"{faq.texts.fallback.get(lang)}\n{self.content.deployment.reach_a_person.get(lang)}"

    def choice_text(self, suggestions: tuple[str, ...], lang: str) -> str:
        faq = self.content.faq
        lines = [faq.texts.choice_prompt.get(lang)]
        lines += [f"{n}. {faq.topics[t].title.get(lang)}" for n, t in enumerate(suggestions, start=1)]
        return "\n".join(lines)

    def text(self, match: Match, lang: str, question: str = "") -> str:
        if match.topic in (CRISIS, SMALLTALK):
            return self.care_text(match.topic, question, lang)
        if match.kind == "answer" and match.topic:
            return self.topic_text(match.topic, lang)
        if match.kind == "choice":
            return self.choice_text(match.suggestions, lang)
        return self.fallback_text(lang)

    def related(self, topic_id: str) -> list[str]:
        return list(self.content.faq.topics[topic_id].related)


@lru_cache(maxsize=4)
def get_faq_service(root: Path | None = None) -> FaqService:
    """The process-wide service, built on first use from `get_content()`."""
    return FaqService.build(get_content(root), root)
