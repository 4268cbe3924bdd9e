"""Answer sets for the screening tests: the spec's two examples, and a helper that screens a variant."""

from __future__ import annotations

from typing import Any

from content.catalog import get_content
from content.screening import InputError, ScreeningContent, ScreeningResult, evaluate

AS_OF = "2026-11-24"
PERSON: dict[str, Any] = {
    "applicant": "person",
    "release_status": "completed",
    "has_certificate": "yes",
    "release_date": "2025-01",
    "purpose": "production",
    "amount": 50000000,
    "same_purpose_debt": "no",
    "as_of": AS_OF,
}
BUSINESS: dict[str, Any] = {
    "applicant": "business",
    "business_type": "sme",
    "lawfully_operating": "yes",
    "total_workers": 20,
    "released_workers": 2,
    "amount": 300000000,
    "same_purpose_debt": "no",
    "as_of": AS_OF,
}
DROP = object()  # a value in `changes` that removes the answer


def screening() -> ScreeningContent:
    return get_content().screening


def vary(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    answers = dict(base)
    for key, value in changes.items():
        if value is DROP:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def screen(base: dict[str, Any], **changes: Any) -> ScreeningResult:
    result = evaluate(vary(base, **changes), None, screening())
    assert isinstance(result, ScreeningResult), result.message("en") if isinstance(result, InputError) else ""
    return result


def screen_error(base: dict[str, Any], **changes: Any) -> InputError:
    result = evaluate(vary(base, **changes), None, screening())
    assert isinstance(result, InputError), result
    return result
