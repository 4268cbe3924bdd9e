"""Screening in chat: one question at a time, buttons for every choice, typed answers understood,
back and cancel at every step; the result with reasons, legal basis and what would change it.

The questions, their order and wording come from the content (`content.screening.flow.next_question`);
the one evaluator decides. State (in the conversation): `flow = {"name": "screening", "answers": {...},
"history": [question ids in the order answered], "skipped": [...], "year": picked year or absent}`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from babel.numbers import format_decimal

from bot.dates import parse_amount, parse_typed_date
from bot.engine.callbacks import data
from bot.engine.choices import match_choice
from bot.engine.common import menu_button, nav_row
from bot.engine.errors import StaleButton
from bot.engine.flows import faq
from bot.engine.flows.menu import show_menu
from bot.engine.relative import on_behalf, pick
from bot.engine.replies import Button
from bot.engine.turn import Turn
from bot.understanding.dates import understand_date
from bot.understanding.numbers import parse_number
from bot.understanding.who import FAMILY, SELF, who_for
from content.screening import InputError, ScreeningResult, evaluate
from content.screening.answers import UNKNOWN_DATE, is_required, matches
from content.screening.dates import parse_month_or_date
from content.screening.flow import next_question
from content.screening.schema import Question, ScreeningContent

FLOW = "screening"
SKIPPED = "__skipped__"
YEARS_BACK = 5  # year buttons: this year and five before (the 5-year limit), then "before"
YEARS_AHEAD = 5
_EXAMPLE = re.compile(r"\s*\([^()]*\)\s*$")
_INTEGER = re.compile(r"^\s*(\d{1,7})\s*[^\d]{0,20}$")

# Amount buttons (whole đồng) by what the loan is for; anything else can be typed.
PRESETS: dict[str, tuple[int, ...]] = {
    "production": (10_000_000, 20_000_000, 30_000_000, 50_000_000, 70_000_000, 100_000_000),
    "training": (1_000_000, 2_000_000, 3_000_000, 4_000_000),
    "business": (100_000_000, 300_000_000, 500_000_000, 1_000_000_000, 2_000_000_000),
}


def _content(turn: Turn) -> ScreeningContent:
    return turn.services.content.screening


def _flow(turn: Turn) -> dict[str, Any]:
    flow = turn.flow
    if flow is None or flow.get("name") != FLOW:
        raise StaleButton()
    return flow


def _answers(flow: dict[str, Any]) -> dict[str, Any]:
    answers = flow.setdefault("answers", {})
    assert isinstance(answers, dict)
    return answers


def _history(flow: dict[str, Any]) -> list[str]:
    history = flow.setdefault("history", [])
    assert isinstance(history, list)
    return history


def _skipped(flow: dict[str, Any]) -> list[str]:
    skipped = flow.setdefault("skipped", [])
    assert isinstance(skipped, list)
    return skipped


def current_question(turn: Turn) -> Question | None:
    flow = _flow(turn)
    seen = {**_answers(flow), **dict.fromkeys(_skipped(flow), SKIPPED)}
    return next_question(seen, _content(turn))


def _question_for(turn: Turn, question_id: str) -> Question:
    """The current question, when the button names it; else the button is from an earlier step."""
    question = current_question(turn)
    if question is None or question.id != question_id:
        raise StaleButton()
    return question


FAMILY_CHOICE = "family"  # a bot-only button on the applicant question: a released family member


def start(turn: Turn, for_family: bool = False) -> None:
    _ = turn._
    turn.start_flow(FLOW, answers={}, history=[], skipped=[])
    intro = _(
        "Mình hỏi vài câu ngắn, mỗi lần một câu. Không cần cho biết tên. Bấm ⬅ để sửa câu trước, ✖ để dừng."
    )
    question = current_question(turn)
    if for_family and question is not None and question.id == "applicant":
        turn.say(intro)
        _choose_family(turn, question)
        return
    prompt(turn, intro)


def for_family(turn: Turn) -> bool:
    return on_behalf(turn)


def _choose_family(turn: Turn, question: Question) -> None:
    """Asking for a family member: the applicant is a person, and the questions speak of them."""
    _flow(turn)["for"] = FAMILY
    record(turn, question, "person")


def expects_number(turn: Turn) -> bool:
    """The current question wants a number or a date (typed words there are never commands)."""
    flow = turn.flow or {}
    if flow.get("name") != FLOW:
        return False
    question = current_question(turn)
    return question is not None and question.type in ("amount", "integer", "month_or_date")


def ask_next(turn: Turn) -> None:
    question = current_question(turn)
    if question is None:
        finish(turn)
    else:
        prompt(turn)


# --- asking -----------------------------------------------------------------------------------------


def _is_future_date(turn: Turn, question: Question) -> bool:
    """A release still to come (someone inside asks): year buttons count forward."""
    answers = _answers(_flow(turn))
    return not matches(question.not_after_as_of_when, answers)


def prompt(turn: Turn, intro: str | None = None) -> None:
    """Ask the current question (again), after `intro` in the same message when given."""
    _ = turn._
    flow = _flow(turn)
    question = current_question(turn)
    if question is None:
        finish(turn)
        return
    lang = turn.lang
    number = len(_history(flow)) + 1
    text = _other_prompt(turn, question.id) if on_behalf(turn) else None
    text = text or question.prompt.get(lang)
    if question.type == "month_or_date":
        text = _EXAMPLE.sub("", text)  # the content's examples are the machine form; chat shows its own
    lines = [intro, ""] if intro else []
    lines.append(f"{number}. {text}")
    if question.help is not None and question.type != "month_or_date":
        helper = _other_prompt(turn, question.id + ".help") if on_behalf(turn) else None
        lines.append(helper or question.help.get(lang))
    rows: list[list[Button]] = []
    optional = not is_required(question, _answers(flow))
    if question.type == "choice":
        rows = [[Button(c.label.get(lang), data("a", question.id, c.id))] for c in question.choices]
        if question.id == "applicant":  # "for myself / for a family member" at the start
            rows.insert(1, [Button(_("👪 Người nhà tôi (người đã ra trại)"), data("a", question.id, FAMILY))])
    elif question.type == "month_or_date":
        rows = _date_rows(turn, question, flow, lines)
    elif question.type == "amount":
        rows = _amount_rows(turn, question, flow)
        lines.append(_("Bấm một số tiền, hoặc gõ số tiền, ví dụ: 50 triệu, 50tr, 50.000.000."))
    elif question.type == "integer":
        lines.append(_("Gõ một con số, ví dụ: 12."))
    if optional:
        rows.append([Button(_("⏭ Bỏ qua / không rõ"), data("skip", question.id))])
    elif question.type == "month_or_date":  # "không nhớ rõ": go on; the result says it must be checked
        rows.append([Button(_("🤷 Không nhớ rõ"), data("a", question.id, UNKNOWN_DATE))])
    rows.append(nav_row(turn, back=True))
    turn.say("\n".join(lines), rows, numeric_input=question.type == "integer")


def _date_rows(turn: Turn, question: Question, flow: dict[str, Any], lines: list[str]) -> list[list[Button]]:
    _ = turn._
    today = turn.services.today()
    future = _is_future_date(turn, question)
    year = flow.get("year")
    if isinstance(year, int):
        lines.append(_("Năm {year}, tháng mấy?").format(year=year))
        months = [
            m
            for m in range(1, 13)
            if not (year == today.year and ((m > today.month) if not future else (m < today.month)))
        ]
        buttons = [
            Button(_("Tháng {month}").format(month=m), data("mo", question.id, year, m)) for m in months
        ]
        return [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    if future:
        if question.help is not None:
            helper = _other_prompt(turn, question.id + ".help") if on_behalf(turn) else None
            lines.append(helper or question.help.get(turn.lang))
        years = list(range(today.year, today.year + YEARS_AHEAD + 1))
    else:
        years = list(range(today.year, today.year - YEARS_BACK - 1, -1))
    lines.append(_("Bấm chọn năm, hoặc gõ tháng/năm, ví dụ: 03/2024, tháng 3 năm 2024, 15/03/2024."))
    buttons = [Button(str(y), data("y", question.id, y)) for y in years]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    if not future:
        oldest = today.year - YEARS_BACK
        rows.append([Button(_("Trước năm {year}").format(year=oldest), data("y", question.id, "old"))])
    return rows


def _money(turn: Turn, amount: int, per_month: bool) -> str:
    money = _content(turn).money
    template = money.month if per_month else money.loan
    return template.get(turn.lang).format(amount=format_decimal(amount, locale=turn.lang))


def _amount_rows(turn: Turn, question: Question, flow: dict[str, Any]) -> list[list[Button]]:
    answers = _answers(flow)
    kind = "business" if answers.get("applicant") == "business" else str(answers.get("purpose", "production"))
    presets = PRESETS.get(kind, PRESETS["production"])
    per_month = kind == "training"
    buttons = [Button(_money(turn, a, per_month), data("amt", question.id, a)) for a in presets]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


# --- answering --------------------------------------------------------------------------------------


def on_press(turn: Turn, kind: str, args: tuple[str, ...]) -> None:
    flow = _flow(turn)
    if kind == "back":
        back(turn)
        return
    if not args:
        raise StaleButton()
    question = _question_for(turn, args[0])
    if kind == "a" and question.id == "applicant" and args[1:] == (FAMILY,):
        _choose_family(turn, question)
        return
    if kind == "a" and len(args) == 2 and question.type == "month_or_date" and args[1] == UNKNOWN_DATE:
        if is_required(question, _answers(flow)):
            record(turn, question, UNKNOWN_DATE)
        else:
            _skipped(flow).append(question.id)
            _history(flow).append(question.id)
            flow.pop("year", None)
            ask_next(turn)
    elif kind == "a" and len(args) == 2 and args[1] in question.choice_ids():
        record(turn, question, args[1])
    elif kind == "y" and len(args) == 2 and question.type == "month_or_date":
        today = turn.services.today()
        if args[1] == "old":
            record(turn, question, f"{today.year - YEARS_BACK - 1:04d}-12")
        elif args[1].isdigit() and abs(int(args[1]) - today.year) <= YEARS_AHEAD + 1:
            month = flow.pop("month", None)
            if isinstance(month, int):  # "tháng 11" typed before the year was chosen
                record(turn, question, f"{int(args[1]):04d}-{month:02d}")
                return
            flow["year"] = int(args[1])
            prompt(turn)
        else:
            raise StaleButton()
    elif kind == "mo" and len(args) == 3 and question.type == "month_or_date":
        if flow.get("year") != _int(args[1]) or not 1 <= _int(args[2]) <= 12:
            raise StaleButton()
        record(turn, question, f"{_int(args[1]):04d}-{_int(args[2]):02d}")
    elif kind == "amt" and len(args) == 2 and question.type == "amount" and args[1].isdigit():
        record(turn, question, int(args[1]))
    elif kind == "skip" and len(args) == 1 and not is_required(question, _answers(flow)):
        _skipped(flow).append(question.id)
        _history(flow).append(question.id)
        flow.pop("year", None)
        ask_next(turn)
    else:
        raise StaleButton()


def _int(text: str) -> int:
    return int(text) if text.isdigit() else -1


def back(turn: Turn) -> None:
    flow = _flow(turn)
    flow.pop("month", None)
    if "year" in flow:
        flow.pop("year")
    else:
        history = _history(flow)
        if not history:
            cancel(turn)
            return
        last = history.pop()
        if last == "applicant":
            flow.pop("for", None)
        _answers(flow).pop(last, None)
        if last in _skipped(flow):
            _skipped(flow).remove(last)
    prompt(turn)


def cancel(turn: Turn) -> None:
    turn.end_flow()
    show_menu(turn, turn._("Đã dừng kiểm tra. Bạn có thể làm lại bất cứ lúc nào."))


def on_text(turn: Turn, text: str) -> None:
    """A typed answer to the current question; anything else is answered as a question."""
    _ = turn._
    flow = _flow(turn)
    question = current_question(turn)
    if question is None:
        finish(turn)
        return
    who = who_for(text) if question.id == "applicant" else None
    if who == FAMILY:  # "cho con trai tui"
        _choose_family(turn, question)
        return
    if who == SELF and match_choice(text, question.choices, turn.services.faq.matcher.normalizer) is None:
        record(turn, question, "person")  # "cho tui", "toi"
        return
    value: Any = None
    hint = _("Mình chưa hiểu câu trả lời. Bạn bấm một nút bên dưới nhé.")
    if question.type == "choice":
        value = match_choice(text, question.choices, turn.services.faq.matcher.normalizer)
    elif question.type == "month_or_date":
        stripped = text.strip()
        if re.fullmatch(r"\d{4}", stripped) and abs(int(stripped) - turn.services.today().year) <= 60:
            month = flow.pop("month", None)
            if isinstance(month, int):
                record(turn, question, f"{int(stripped):04d}-{month:02d}")
                return
            flow["year"] = int(stripped)
            prompt(turn)
            return
        typed = parse_typed_date(text)
        value = typed.iso() if typed else None
        if value is None and _understood_date(turn, question, flow, text):
            return
        hint = _(
            "Mình chưa hiểu ngày này. Bạn gõ tháng và năm đủ 4 số, ví dụ 03/2024, hoặc bấm nút chọn năm."
        )
    elif question.type == "amount":
        parsed = parse_amount(text)
        value = parsed[0] if parsed else None
        if value is None:
            said = parse_number(text)  # "1 tỷ rưỡi", "năm chục triệu", "khoảng 50 triệu"
            value = said.value if said is not None and said.value >= 100_000 else None
        hint = _("Mình chưa hiểu số tiền. Ví dụ: 50 triệu, 50tr, 50.000.000.")
    elif question.type == "integer":
        match = _INTEGER.match(text)
        value = int(match[1]) if match else None
        if value is None:
            said = parse_number(text)  # "khoảng 40 người", "bốn mươi"
            value = said.value if said is not None and said.value < 10_000_000 else None
        hint = _("Mình chưa hiểu. Bạn gõ một con số, ví dụ: 12.")
    if value is not None:
        record(turn, question, value)
        return
    kind = faq.answer(turn, text, in_flow=True)
    if kind == "fallback":
        turn.say(hint)
    prompt(turn)


def record(turn: Turn, question: Question, value: Any) -> None:
    _ = turn._
    flow = _flow(turn)
    answers = _answers(flow)
    if question.type == "month_or_date" and value != UNKNOWN_DATE:
        when = parse_month_or_date(str(value))
        today = turn.services.today()
        trial = {**answers, question.id: value}
        if when is None:
            turn.say(_("Ngày này không có thật. Bạn xem lại nhé."))
            prompt(turn)
            return
        if matches(question.not_after_as_of_when, trial) and when.resolve(today) > today:
            flow.pop("year", None)
            turn.say(_("Ngày này chưa tới. Giấy chứng nhận ghi một ngày đã qua; bạn xem lại nhé."))
            prompt(turn)
            return
    if question.type in ("amount", "integer"):
        if question.min is not None and int(value) < question.min:
            turn.say(_("Số này nhỏ quá; số nhỏ nhất là {min}.").format(min=question.min))
            prompt(turn)
            return
        limit = answers.get(question.not_more_than) if question.not_more_than else None
        if isinstance(limit, int) and int(value) > limit:
            turn.say(_("Số này lớn hơn tổng số lao động ({limit}). Bạn xem lại nhé.").format(limit=limit))
            prompt(turn)
            return
    answers[question.id] = value
    _history(flow).append(question.id)
    flow.pop("year", None)
    flow.pop("month", None)
    ask_next(turn)


def _understood_date(turn: Turn, question: Question, flow: dict[str, Any], text: str) -> bool:
    """ "năm ngoái", "tháng trước", "hồi Tết", "tháng 11" (after a year), "không nhớ rõ"; False when
    the text is none of these."""
    _ = turn._
    year = flow.get("year")
    said = understand_date(text, turn.services.today(), year if isinstance(year, int) else None)
    if said is None:
        return False
    if said.kind == "unknown":
        if is_required(question, _answers(flow)):
            record(turn, question, UNKNOWN_DATE)
        else:
            _skipped(flow).append(question.id)
            _history(flow).append(question.id)
            flow.pop("year", None)
            ask_next(turn)
    elif said.kind == "month":
        record(turn, question, said.iso())
    elif said.kind == "year" and said.year is not None:
        flow["year"] = said.year
        prompt(turn)
    elif said.kind == "month_only" and said.month is not None:
        flow["month"] = said.month
        turn.say(_("Tháng {month} năm nào? Bấm chọn năm, hoặc gõ năm đủ 4 số.").format(month=said.month))
        prompt(turn)
    else:
        return False
    return True


def _other_prompt(turn: Turn, key: str) -> str | None:
    """A question in the third person, for someone asking for a family member."""
    _ = turn._
    table = {
        "release_status": _("Bây giờ người nhà của bạn thuộc trường hợp nào?"),
        "has_certificate": _("Người nhà của bạn đã có giấy chứng nhận chưa?"),
        "release_date": _("Giấy chứng nhận của người nhà bạn ghi ngày nào?"),
        "release_date.help": _("Nếu người nhà của bạn còn ở trong trại, hãy ghi ngày dự kiến ra trại."),
        "purpose": _("Người nhà của bạn muốn vay để làm gì?"),
        "amount": _("Người nhà của bạn muốn vay bao nhiêu đồng? (học nghề thì ghi số tiền mỗi tháng)"),
        "same_purpose_debt": _(
            "Người nhà của bạn có đang nợ Ngân hàng Chính sách xã hội một khoản vay khác cho cùng mục đích "
            "không?"
        ),
    }
    return table.get(key)


# --- the result -------------------------------------------------------------------------------------


def finish(turn: Turn) -> None:
    _ = turn._
    flow = _flow(turn)
    answers = dict(_answers(flow))
    result = evaluate(answers, turn.services.today(), _content(turn))
    if isinstance(result, InputError):
        # Cannot happen with answers the flow checked; ask the first field named again.
        for field in result.fields:
            answers_now = _answers(flow)
            answers_now.pop(field, None)
            if field in _history(flow):
                _history(flow).remove(field)
        turn.say(result.message(turn.lang))
        prompt(turn)
        return
    turn.end_flow()
    remind_on = _remind_on(answers, result, turn.services.today())
    turn.state["result"] = {
        "answers": answers,
        "outcome": result.outcome,
        "remind_on": remind_on.isoformat() if remind_on else None,
    }
    if flow.get("for") == FAMILY:  # asked for a family member: the referral needs their own consent
        turn.state["result"]["for"] = FAMILY
    turn.say(result_text(turn, result), result_rows(turn))


def _remind_on(answers: dict[str, Any], result: ScreeningResult, today: date) -> date | None:
    """For someone still inside with a release date: the day after it (a month: the next month's first)."""
    if result.outcome != "not_yet" or answers.get("release_status") != "in_prison":
        return None
    when = parse_month_or_date(str(answers.get("release_date") or ""))
    if when is None:
        return None
    if when.day is not None:
        day = date(when.year, when.month, when.day) + timedelta(days=1)
    else:
        day = date(when.year + when.month // 12, when.month % 12 + 1, 1)
    return day if day > today else None


_ICONS = {"likely_eligible": "✅", "needs_review": "🔎", "not_yet": "⏳", "not_eligible": "❌"}


def result_text(turn: Turn, result: ScreeningResult) -> str:
    lang = turn.lang
    body = result.to_json(lang, relative=on_behalf(turn))  # "người nhà của bạn", not "bạn"
    basis = turn.services.content.faq.texts.basis_label.get(lang)
    lines = [f"{_ICONS.get(result.outcome, '')} {body['label']}", body["summary"]]
    for item in body["explanations"]:
        lines += ["", f"• {item['text']}", f"  {basis} {item['basis']}", f"  → {item['remedy']}"]
    cap = body["cap"]
    if cap and cap.get("text"):
        lines += ["", f"💰 {cap['text']}", f"  {basis} {cap['basis']}"]
    lines += ["", f"ℹ️ {body['disclaimer']}"]
    if result.outcome != "not_eligible" and _is_business(turn):
        lines += ["", *_business_path(turn)]
    return "\n".join(" ".join(line.split()) if line.strip() else "" for line in lines)


def _is_business(turn: Turn) -> bool:
    result = turn.state.get("result")
    answers = result.get("answers") if isinstance(result, dict) else None
    return isinstance(answers, dict) and answers.get("applicant") == "business"


def _business_path(turn: Turn) -> list[str]:
    """A business's own next steps (issue 18): direct lending, the plan on Mẫu 02, what is unconfirmed."""
    _ = turn._
    return [
        _(
            "🏭 Cơ sở vay trực tiếp tại Ngân hàng Chính sách xã hội nơi thực hiện phương án, không qua danh "
            "sách của Công an xã/phường. Phương án vay vốn cần được UBND xã/phường nơi thực hiện phương án "
            "xác nhận (Mẫu số 02)."
        ),
        _(
            "Chưa được xác nhận: tỷ lệ 10% người lao động có phải giữ suốt thời gian vay hay không. Hãy hỏi "
            "cán bộ Ngân hàng Chính sách xã hội."
        ),
    ]


def result_rows(turn: Turn) -> list[list[Button]]:
    _ = turn._
    result = turn.state.get("result") or {}
    outcome = result.get("outcome")
    rows: list[list[Button]] = []
    business = _is_business(turn)
    if outcome in ("likely_eligible", "needs_review", "not_yet") and not result.get("sent"):
        if business:
            rows.append([Button(_("📨 Gửi đề nghị cho Ngân hàng Chính sách xã hội"), data("r", "send"))])
        else:
            rows.append([Button(_("📨 Gửi yêu cầu cho cán bộ xã/phường"), data("r", "send"))])
    if result.get("remind_on") and not result.get("reminder"):
        label = pick(turn, _("⏰ Nhắc tôi sau ngày ra trại"), _("⏰ Nhắc tôi sau ngày người nhà ra trại"))
        rows.append([Button(label, data("r", "remind"))])
    if outcome == "not_eligible":
        rows.append([Button(_("📍 Nơi liên hệ"), data("m", "where"))])
    if business:
        rows.append([Button(_("📄 Hồ sơ vay của cơ sở"), data("t", "business_documents"))])
    else:
        rows.append([Button(_("📄 Giấy tờ cần mang"), data("m", "docs"))])
    rows.append([Button(_("🔁 Kiểm tra lại"), data("m", "check")), menu_button(turn)])
    return rows
