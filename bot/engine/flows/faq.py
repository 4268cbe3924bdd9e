"""Questions typed at any point: the FAQ matcher's answer, a "did you mean" choice, or the fallback."""

from __future__ import annotations

from bot.engine.callbacks import data
from bot.engine.common import menu_button
from bot.engine.flows.menu import menu_rows
from bot.engine.replies import Button
from bot.engine.turn import Turn
from bot.understanding.understander import CRISIS, SMALLTALK
from bot.understanding.who import FAMILY, who_for

MAX_QUESTION = 500  # characters the matcher looks at; longer text is cut
POPULAR = ("eligible_persons", "amount_person", "interest", "how_to_apply", "documents", "still_in_prison")
MAX_RELATED = 3
# Answers to "could I (or my son) borrow?" end with the way to find out: the check itself, for the
# relative when the question was asked for one ("con tui moi ra tu muon vay").
INVITE_CHECK = frozenset(
    {"overview", "eligible_persons", "time_limit", "still_in_prison", "criminal_record_effect",
     "conditional_release", "suspended_sentence", "how_to_apply", "amount_person"}
)  # fmt: skip


def _topic_button(turn: Turn, topic_id: str) -> Button | None:
    topic = turn.services.content.faq.topics.get(topic_id)
    if topic is None:
        return None
    return Button("• " + topic.title.get(turn.lang), data("t", topic_id))


def _topic_rows(turn: Turn, topic_ids: list[str]) -> list[list[Button]]:
    buttons = [_topic_button(turn, t) for t in topic_ids]
    return [[b] for b in buttons if b is not None]


def ask_prompt(turn: Turn) -> None:
    _ = turn._
    turn.say(
        _(
            'Bạn cứ gõ câu hỏi, ví dụ: "lãi suất bao nhiêu", "cần giấy tờ gì", '
            '"ra tù 3 năm rồi có vay được không". Hoặc chọn một câu hỏi thường gặp:'
        ),
        [*_topic_rows(turn, list(POPULAR)), [menu_button(turn)]],
    )


def show_topic(
    turn: Turn, topic_id: str, in_flow: bool = False, question: str = "", lang: str | None = None
) -> bool:
    """The topic's answer (in `lang`, the question's language, else the person's) with related topics
    as buttons; False for an unknown topic."""
    service = turn.services.faq
    if topic_id not in service.content.faq.topics:
        return False
    related = [t for t in service.related(topic_id) if t in service.content.faq.topics][:MAX_RELATED]
    rows = _topic_rows(turn, related)
    if not in_flow:
        if topic_id in INVITE_CHECK:
            rows.insert(0, [_check_button(turn, question)])
        rows.append([menu_button(turn)])
    turn.say(service.topic_text(topic_id, lang or turn.lang), rows)
    return True


def answer(turn: Turn, text: str, in_flow: bool = False) -> str:
    """Answer typed text from the FAQ; returns the kind of answer ("answer", "choice", "fallback").
    The answer is in the language the question is written in (a Vietnamese cry for help from someone
    who chose Khmer is answered in Vietnamese)."""
    service = turn.services.faq
    match = service.understanding.match(text[:MAX_QUESTION], turn.lang)
    lang = _adopt_language(turn, match.lang, text, match.topic)
    if match.topic == CRISIS:
        show_crisis(turn, lang)
        return "answer"
    if match.topic == SMALLTALK:
        rows = [] if in_flow else [[menu_button(turn)]]
        turn.say(service.care_text(SMALLTALK, text[:MAX_QUESTION], lang), rows)
        return "answer"
    if match.kind == "answer" and match.topic:
        show_topic(turn, match.topic, in_flow, question=text, lang=lang)
        return "answer"
    if match.kind == "choice" and match.suggestions:
        rows = _topic_rows(turn, list(match.suggestions))
        if not in_flow:
            # "tui moi ra tu, muon vay mo tiem sua xe": among the guesses, the way to find out.
            if INVITE_CHECK.intersection(match.suggestions):
                rows.insert(0, [_check_button(turn, text)])
            rows.append([menu_button(turn)])
        turn.say(service.content.faq.texts.choice_prompt.get(lang), rows)
        return "choice"
    if not in_flow:
        turn.say(service.fallback_text(lang), menu_rows(turn))
    return "fallback"


# A message this long in one language is enough to take it as the person's language.
ADOPT_MIN_WORDS = 3


def _adopt_language(turn: Turn, lang: str, text: str, topic: str | None) -> str:
    """Someone who has not chosen a language yet and writes Khmer (or a sentence in English or
    Vietnamese) is spoken to in that language from now on; a choice once made is kept."""
    if "lang" in turn.state or lang == turn.lang or topic == SMALLTALK:
        return lang
    if lang == "km" or len(text.split()) >= ADOPT_MIN_WORDS:
        turn.state["lang"] = lang
    return lang


def _check_button(turn: Turn, question: str) -> Button:
    _ = turn._
    if who_for(question) == FAMILY:
        return Button(_("✅ Kiểm tra điều kiện cho người nhà"), data("m", "check_family"))
    return Button(_("✅ Kiểm tra điều kiện vay"), data("m", "check"))


def show_crisis(turn: Turn, lang: str | None = None) -> None:
    """The crisis answer (caring words, 113 and 115, a way to reach a person now), in the language of
    the message. The state is left as it was, so a flow in progress goes on with the next message."""
    service = turn.services.faq
    officer = Button(turn._("👤 Gặp cán bộ"), data("m", "officer"))
    turn.say(service.care_text(CRISIS, "", lang or turn.lang), [[officer], [menu_button(turn)]])
