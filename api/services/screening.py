"""The API re-runs the same screening evaluator the bot uses: it never trusts a client's result."""

from __future__ import annotations

from typing import Any

from content.catalog import get_content
from content.screening import InputError, ScreeningResult, evaluate
from content.screening.answers import problem_text


class ScreeningInputError(ValueError):
    """The answers are not a valid answer set; the message names each field and its problem."""


def screen(applicant: str, answers: dict[str, Any], lang: str) -> dict[str, Any]:
    result = _evaluate(applicant, answers)
    if isinstance(result, InputError):
        raise ScreeningInputError(result.message(lang))
    return result.to_json(lang)


def screen_by_field(
    applicant: str, answers: dict[str, Any], lang: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """As `screen`, but the problems come one per answer id (a form shows each next to its field);
    the result is empty when there is any."""
    result = _evaluate(applicant, answers)
    if not isinstance(result, InputError):
        return result.to_json(lang), {}
    problems: dict[str, str] = {}
    for error in result.errors:
        # Under its own field the field's name is not repeated ("Thiếu câu trả lời.").
        if error.field:
            bare = problem_text(error, result.content, lang)
            one = bare[:1].upper() + bare[1:]
        else:
            one = InputError((error,), result.content).message(lang)
        key = error.field or ""
        problems[key] = f"{problems[key]} {one}" if key in problems else one
    return {}, problems


def _evaluate(applicant: str, answers: dict[str, Any]) -> ScreeningResult | InputError:
    # The screening date is the server's today, not whatever a client sends.
    raw = {k: v for k, v in answers.items() if k not in ("applicant", "as_of")}
    raw["applicant"] = applicant
    return evaluate(raw, None, get_content().screening)
