"""Raw answers (a flat JSON object) → typed answers, or input errors that name the field and the problem.

Driven by the questions of the content file: type, choices, when an answer is required, and the
limits between answers. Unknown extra keys are ignored; an answer given as null counts as not given.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from content.localized import Localized
from content.screening.dates import MonthOrDate, parse_date, parse_month_or_date, today
from content.screening.schema import Condition, Question, ScreeningContent

_WHOLE = re.compile(r"[+-]?\d{1,40}")
_CODE = re.compile(r"\d{1,12}")
_BOOL_CHOICES = {True: "yes", False: "no"}
UNKNOWN_DATE = "unknown"
_FORMS = {"date": "YYYY-MM-DD", "month_or_date": "YYYY-MM-DD / YYYY-MM"}


@dataclass(frozen=True)
class FieldError:
    """One input problem: the field (None for the whole line), an error code, and its details."""

    field: str | None
    code: str
    params: Mapping[str, str | int] = dataclasses.field(default_factory=dict)
    label: Localized | None = None
    other_label: Localized | None = None


@dataclass(frozen=True)
class InputError:
    """The answers cannot be screened; `message(lang)` says why in plain words."""

    errors: tuple[FieldError, ...]
    content: ScreeningContent = dataclasses.field(repr=False, compare=False)

    @property
    def fields(self) -> list[str]:
        return [e.field for e in self.errors if e.field is not None]

    def message(self, lang: str) -> str:
        return " ".join(_describe(error, self.content, lang) for error in self.errors)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"error": self.message(lang)}


def line_error(code: str, content: ScreeningContent) -> InputError:
    """An error about the whole line (bad_json, empty_line, not_an_object)."""
    return InputError((FieldError(None, code),), content)


@dataclass(frozen=True)
class Answers:
    """Typed answers of one applicant; values are str (choice, code), int, date or MonthOrDate."""

    applicant: str
    as_of: date
    values: Mapping[str, Any]

    def choice(self, answer_id: str) -> str | None:
        value = self.values.get(answer_id)
        return value if isinstance(value, str) else None

    def integer(self, answer_id: str) -> int | None:
        value = self.values.get(answer_id)
        return value if isinstance(value, int) else None

    def month_or_date(self, answer_id: str) -> MonthOrDate | None:
        value = self.values.get(answer_id)
        return value if isinstance(value, MonthOrDate) else None


def parse(raw: object, as_of: date | None, content: ScreeningContent) -> Answers | InputError:
    """Check every answer of `raw` against the questions; `as_of` overrides `raw["as_of"]`."""
    if not isinstance(raw, Mapping):
        return line_error("not_an_object", content)
    applicant_q = content.question("any", "applicant")
    assert applicant_q is not None  # checked when the content was loaded
    if raw.get("applicant") is None:
        return InputError((FieldError("applicant", "missing", label=applicant_q.label),), content)
    applicant, error = _parse_one(applicant_q, raw["applicant"])
    if error is not None:
        return InputError((error,), content)

    errors: list[FieldError] = []
    values: dict[str, Any] = {"applicant": applicant}
    failed: set[str] = set()
    skip = {"applicant", "as_of"} if as_of is not None else {"applicant"}
    questions = [q for q in content.questions_for(applicant) if q.id not in skip]
    for question in questions:
        given = raw.get(question.id)
        if given is None:
            continue
        value, error = _parse_one(question, given)
        if error is not None:
            errors.append(error)
            failed.add(question.id)
        else:
            values[question.id] = value
    for question in questions:
        if question.id in values or question.id in failed:
            continue
        depends_on_failed = any(key in failed for cond in question.required_when for key in cond)
        if is_required(question, values) and not depends_on_failed:
            errors.append(FieldError(question.id, "missing", label=question.label))
    for question in questions:
        limit_id = question.not_more_than
        value, limit = values.get(question.id), values.get(limit_id) if limit_id else None
        if isinstance(value, int) and isinstance(limit, int) and value > limit and limit_id:
            other = content.question(applicant, limit_id)
            errors.append(
                FieldError(
                    question.id,
                    "more_than",
                    {"value": value, "other_id": limit_id, "other_value": limit},
                    label=question.label,
                    other_label=other.label if other else None,
                )
            )
    if errors:
        return InputError(tuple(errors), content)
    given_day = values.pop("as_of", None)
    return Answers(applicant, as_of or given_day or today(), values)


def check_dates(answers: Answers, content: ScreeningContent) -> InputError | None:
    """Dates that must not be after `as_of` (a release already made), per the questions' conditions."""
    errors: list[FieldError] = []
    for question in content.questions_for(answers.applicant):
        given = answers.values.get(question.id)
        if not isinstance(given, MonthOrDate) or not matches(question.not_after_as_of_when, answers.values):
            continue
        if given.resolve(answers.as_of) > answers.as_of:
            params = {"value": given.text(), "as_of": answers.as_of.isoformat()}
            errors.append(FieldError(question.id, "after_as_of", params, label=question.label))
    return InputError(tuple(errors), content) if errors else None


def is_required(question: Question, values: Mapping[str, Any]) -> bool:
    if question.required == "always":
        return True
    return question.required == "when" and matches(question.required_when, values)


def matches(conditions: list[Condition], values: Mapping[str, Any]) -> bool:
    return any(all(values.get(key) in accepted for key, accepted in cond.items()) for cond in conditions)


def _parse_one(question: Question, given: object) -> tuple[Any, FieldError | None]:
    def fail(code: str, **params: str | int) -> tuple[Any, FieldError]:
        return None, FieldError(question.id, code, {"value": _show(given), **params}, label=question.label)

    if question.type == "choice":
        text = _BOOL_CHOICES.get(given) if isinstance(given, bool) else given
        wanted = text.strip().lower() if isinstance(text, str) else None
        if wanted in question.choice_ids():
            return wanted, None
        return fail("not_in_list", choices=", ".join(question.choice_ids()))
    if question.type in ("amount", "integer"):
        number = _whole(given)
        if number is None:
            return fail("not_whole_number")
        if question.min is not None and number < question.min:
            return fail("too_small", min=question.min)
        if question.max is not None and number > question.max:
            return fail("too_large", max=question.max)
        return number, None
    if question.type == "date":
        day = parse_date(given) if isinstance(given, str) else None
        return (day, None) if day is not None else fail("bad_date", forms=_FORMS["date"])
    if question.type == "month_or_date":
        if isinstance(given, str) and given.strip().lower() == UNKNOWN_DATE:
            return UNKNOWN_DATE, None  # "không nhớ rõ": the evaluator asks for it to be checked
        when = parse_month_or_date(given) if isinstance(given, str) else None
        return (when, None) if when is not None else fail("bad_date", forms=_FORMS["month_or_date"])
    # code
    code = str(given) if isinstance(given, int) and not isinstance(given, bool) and given >= 0 else given
    if isinstance(code, str) and _CODE.fullmatch(code.strip()):
        return code.strip(), None
    return fail("not_a_code")


def _whole(given: object) -> int | None:
    if isinstance(given, bool):
        return None
    if isinstance(given, int):
        return given
    if isinstance(given, float):
        return int(given) if math.isfinite(given) and given.is_integer() else None
    if isinstance(given, str) and _WHOLE.fullmatch(given.strip()):
        return int(given.strip())
    return None


def _show(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def problem_text(error: FieldError, content: ScreeningContent, lang: str) -> str:
    """The problem alone ("thiếu câu trả lời."), for a form that shows it under its own field."""
    params: dict[str, str | int] = dict(error.params)
    if error.other_label is not None:
        params["other_label"] = error.other_label.get(lang)
    return content.errors[error.code].get(lang).format_map(_Defaults(params))


def _describe(error: FieldError, content: ScreeningContent, lang: str) -> str:
    problem = problem_text(error, content, lang)
    if error.field is None:
        return problem
    label = error.label.get(lang) if error.label else error.field
    return content.errors["field"].get(lang).format(id=error.field, label=label, problem=problem)


class _Defaults(dict[str, str | int]):
    def __missing__(self, key: str) -> str:
        return "?"
