"""The API re-runs the same screening evaluator the bot uses: it never trusts a client's result."""

from __future__ import annotations

from typing import Any

from content.catalog import get_content
from content.screening import InputError, evaluate


class ScreeningInputError(ValueError):
    """The answers are not a valid answer set; the message names each field and its problem."""


def screen(applicant: str, answers: dict[str, Any], lang: str) -> dict[str, Any]:
    # The screening date is the server's today, not whatever a client sends.
    raw = {k: v for k, v in answers.items() if k not in ("applicant", "as_of")}
    raw["applicant"] = applicant
    result = evaluate(raw, None, get_content().screening)
    if isinstance(result, InputError):
        raise ScreeningInputError(result.message(lang))
    return result.to_json(lang)
