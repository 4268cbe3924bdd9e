"""Property-based tests of the evaluator: it never raises, whatever it is given, its result is always
JSON, and a failing answer never improves the outcome."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.localized import LANGS
from content.screening import InputError, ScreeningResult, evaluate
from content.screening.ids import OUTCOMES
from tests.screening_cases import screening

# Bounded for CI; SCREENING_EXAMPLES=5000 searches harder.
BOUNDED = settings(
    max_examples=int(os.environ.get("SCREENING_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
RANK = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}

KEYS = [
    "applicant", "release_status", "has_certificate", "release_date", "purpose", "amount",
    "same_purpose_debt", "commune_code", "business_type", "lawfully_operating", "total_workers",
    "released_workers", "as_of",
]  # fmt: skip
WORDS = [
    "person", "business", "completed", "amnesty", "conditional_release", "in_prison", "suspended_sentence",
    "other", "yes", "no", "unknown", "training", "production", "sme", "cooperative", "cooperative_group",
    "household_business", "2025-01", "2026-11-24", "2020-02-29", "2023-10-09", "9999-12", "0001-01-01",
    "2025-02-30", "", " ", "-1", "1e9", "NaN",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(WORDS),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
)
ANY_ANSWERS = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), VALUES, max_size=12)


def _check_shape(result: ScreeningResult | InputError) -> None:
    for lang in LANGS:
        shown = result.to_json(lang)
        json.dumps(shown, allow_nan=False)
        if isinstance(result, ScreeningResult):
            assert shown["outcome"] in OUTCOMES
            assert "\n" not in result.to_text(lang)
        else:
            assert set(shown) == {"error"} and shown["error"] and "\n" not in shown["error"]


@BOUNDED
@given(answers=ANY_ANSWERS, as_of=st.none() | st.dates())
def test_never_raises_on_any_answers(answers: dict[Any, Any], as_of: date | None) -> None:
    _check_shape(evaluate(answers, as_of, screening()))


@BOUNDED
@given(raw=VALUES)
def test_never_raises_on_anything(raw: object) -> None:
    _check_shape(evaluate(raw, None, screening()))


def _day(text_or_date: date, month_only: bool) -> str:
    return text_or_date.strftime("%Y-%m") if month_only else text_or_date.isoformat()


@st.composite
def person_answers(draw: st.DrawFn) -> dict[str, Any]:
    as_of = draw(st.dates(date(2023, 10, 10), date(2035, 12, 31)))
    status = draw(st.sampled_from(["completed", "amnesty", "conditional_release", "in_prison"]))
    released = draw(st.dates(date(2015, 1, 1), as_of if status != "in_prison" else date(2040, 1, 1)))
    month_only = draw(st.booleans()) and (released.year, released.month) != (as_of.year, as_of.month)
    answers: dict[str, Any] = {
        "applicant": "person",
        "release_status": status,
        "has_certificate": draw(st.sampled_from(["yes", "no", "unknown"])),
        "release_date": _day(released, month_only),
        "purpose": draw(st.sampled_from(["training", "production"])),
        "same_purpose_debt": draw(st.sampled_from(["no", "unknown"])),
        "as_of": as_of.isoformat(),
    }
    if draw(st.booleans()):
        answers["amount"] = draw(st.integers(0, 10**10))
    return answers


@st.composite
def business_answers(draw: st.DrawFn) -> dict[str, Any]:
    total = draw(st.integers(1, 200))
    answers: dict[str, Any] = {
        "applicant": "business",
        "business_type": draw(
            st.sampled_from(["sme", "cooperative", "cooperative_group", "household_business"])
        ),
        "lawfully_operating": "yes",
        "total_workers": total,
        "released_workers": draw(st.integers(0, total)),
        "same_purpose_debt": draw(st.sampled_from(["no", "unknown"])),
        "as_of": draw(st.dates(date(2023, 10, 10), date(2035, 12, 31))).isoformat(),
    }
    if draw(st.booleans()):
        answers["amount"] = draw(st.integers(0, 10**11))
    return answers


# (answer, value) changes that fail a rule, and changes that only make the answer uncertain.
PERSON_FAILING = [
    ("purpose", "other"),
    ("same_purpose_debt", "yes"),
    ("release_status", "suspended_sentence"),
    ("release_status", "other"),
    ("release_date", "2015-01-01"),
]
BUSINESS_FAILING = [
    ("business_type", "other"),
    ("lawfully_operating", "no"),
    ("released_workers", 0),
    ("same_purpose_debt", "yes"),
]
# Made less sure than the best answer: (answer, best value, worse value).
UNSURE = [
    ("same_purpose_debt", "no", "unknown"),
    ("has_certificate", "yes", "unknown"),
    ("has_certificate", "yes", "no"),
]


def _worse(answers: dict[str, Any], keys: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(k, worse) for k, best, worse in UNSURE if k in keys and answers.get(k) == best]


def _outcome(answers: dict[str, Any]) -> str | None:
    result = evaluate(answers, None, screening())
    return result.outcome if isinstance(result, ScreeningResult) else None


def _assert_never_improves(answers: dict[str, Any], changes: list[tuple[str, Any]], failing: bool) -> None:
    before = _outcome(answers)
    assert before is not None
    for key, value in changes:
        after = _outcome({**answers, key: value})
        if after is None:  # the change made the answers invalid (e.g. a release date now required)
            continue
        assert RANK[after] >= RANK[before], (key, value, before, after)
        if failing:
            assert after == "not_eligible", (key, value, after)


@BOUNDED
@given(answers=person_answers())
def test_a_failing_person_answer_never_improves_the_outcome(answers: dict[str, Any]) -> None:
    as_of = date.fromisoformat(answers["as_of"])
    too_old = (as_of - timedelta(days=5 * 366 + 1)).isoformat()
    failing = [(k, too_old if k == "release_date" else v) for k, v in PERSON_FAILING]
    if answers["release_status"] in ("in_prison", "conditional_release"):
        failing = [c for c in failing if c[0] != "release_date"]  # no time limit while not released
    _assert_never_improves(answers, failing, failing=True)
    _assert_never_improves(answers, _worse(answers, ("same_purpose_debt", "has_certificate")), failing=False)


@BOUNDED
@given(answers=business_answers())
def test_a_failing_business_answer_never_improves_the_outcome(answers: dict[str, Any]) -> None:
    _assert_never_improves(answers, BUSINESS_FAILING, failing=True)
    _assert_never_improves(answers, _worse(answers, ("same_purpose_debt",)), failing=False)


@BOUNDED
@given(answers=business_answers(), extra=st.integers(1, 1000))
def test_more_workers_without_more_released_never_improves(answers: dict[str, Any], extra: int) -> None:
    _assert_never_improves(answers, [("total_workers", answers["total_workers"] + extra)], failing=False)
