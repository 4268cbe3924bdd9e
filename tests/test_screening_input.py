"""Input errors (screening.md, "Input errors"): each names the field and the problem, in vi, en and km."""

from __future__ import annotations

from typing import Any

import pytest

from content.screening import InputError, evaluate
from tests.screening_cases import BUSINESS, DROP, PERSON, screen, screen_error, screening

REQUIRED_PERSON = ["release_status", "has_certificate", "release_date", "purpose", "same_purpose_debt"]
REQUIRED_BUSINESS = [
    "business_type",
    "lawfully_operating",
    "total_workers",
    "released_workers",
    "same_purpose_debt",
]


@pytest.mark.parametrize("field", REQUIRED_PERSON)
def test_missing_required_person_answer(field: str) -> None:
    error = screen_error(PERSON, **{field: DROP})
    assert error.fields == [field]
    assert f"{field} (" in error.message("vi") and "thiếu câu trả lời" in error.message("vi")
    assert "the answer is missing" in error.message("en")
    assert "ខ្វះចម្លើយ" in error.message("km")


@pytest.mark.parametrize("field", REQUIRED_BUSINESS)
def test_missing_required_business_answer(field: str) -> None:
    assert screen_error(BUSINESS, **{field: DROP}).fields == [field]


def test_release_date_required_when() -> None:
    assert screen_error(PERSON, release_status="amnesty", release_date=DROP).fields == ["release_date"]
    assert screen_error(PERSON, release_status="conditional_release", release_date=DROP).fields == [
        "release_date"
    ]
    # Not required: conditional release without certificate, in prison, not covered.
    screen(PERSON, release_status="conditional_release", has_certificate="no", release_date=DROP)
    screen(PERSON, release_status="in_prison", has_certificate=DROP, release_date=DROP)
    screen(PERSON, release_status="other", has_certificate=DROP, release_date=DROP)


def test_optional_answers_may_be_missing_or_null() -> None:
    assert screen(PERSON, amount=DROP).outcome == "likely_eligible"
    assert screen(PERSON, amount=None, commune_code=None).outcome == "likely_eligible"
    assert screen(BUSINESS, amount=DROP).outcome == "likely_eligible"


def test_unknown_keys_are_ignored() -> None:
    assert screen(PERSON, favourite_colour="blue", total_workers="x").outcome == "likely_eligible"


@pytest.mark.parametrize(
    ("field", "value", "vi", "en"),
    [
        ("release_status", "done", "không có trong danh sách", "is not one of the choices"),
        ("has_certificate", "maybe", "không có trong danh sách", "is not one of the choices"),
        ("purpose", 3, "không có trong danh sách", "is not one of the choices"),
        ("same_purpose_debt", ["no"], "không có trong danh sách", "is not one of the choices"),
        ("amount", -1, "nhỏ quá", "too small"),
        ("amount", 1.5, "không phải là số nguyên", "not a whole number"),
        ("amount", "nhiều", "không phải là số nguyên", "not a whole number"),
        ("amount", True, "không phải là số nguyên", "not a whole number"),
        ("release_date", "2025-02-30", "không phải là ngày có thật", "not a real date"),
        ("release_date", "2025-13", "không phải là ngày có thật", "not a real date"),
        ("release_date", "2025/01/01", "không phải là ngày có thật", "not a real date"),
        ("release_date", "01-2025", "không phải là ngày có thật", "not a real date"),
        ("release_date", 20250101, "không phải là ngày có thật", "not a real date"),
        ("as_of", "2026-11", "không phải là ngày có thật", "not a real date"),
        ("commune_code", "Phường 1", "mã xã/phường", "commune/ward code"),
    ],
)
def test_bad_person_value(field: str, value: Any, vi: str, en: str) -> None:
    error = screen_error(PERSON, **{field: value})
    assert error.fields == [field]
    assert error.message("vi").startswith(f"{field} (") and vi in error.message("vi")
    assert error.message("en").startswith(f"{field} (") and en in error.message("en")
    assert error.message("km").startswith(f"{field} (")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("business_type", "bank"),
        ("lawfully_operating", "unknown"),
        ("total_workers", 0),
        ("total_workers", -3),
        ("total_workers", 2.5),
        ("released_workers", -1),
        ("amount", -100),
    ],
)
def test_bad_business_value(field: str, value: Any) -> None:
    assert screen_error(BUSINESS, **{field: value}).fields == [field]


def test_whole_numbers_in_other_shapes_are_accepted() -> None:
    assert screen(PERSON, amount=50_000_000.0).reasons == ()
    assert screen(PERSON, amount="50000000").reasons == ()
    assert screen(BUSINESS, total_workers="20").max_amount == 2_000_000_000


def test_choices_ignore_case_and_spaces() -> None:
    assert screen(PERSON, release_status=" Completed ").outcome == "likely_eligible"


def test_released_workers_more_than_total() -> None:
    error = screen_error(BUSINESS, total_workers=20, released_workers=21)
    assert error.fields == ["released_workers"]
    assert "total_workers" in error.message("vi") and "20" in error.message("vi")
    assert screen(BUSINESS, total_workers=20, released_workers=20).reasons == ()


@pytest.mark.parametrize("applicant", ["robot", "", 1, DROP, None])
def test_unknown_or_missing_applicant(applicant: Any) -> None:
    error = screen_error(PERSON, applicant=applicant)
    assert error.fields == ["applicant"]
    assert "người vay" in error.message("vi")


@pytest.mark.parametrize("raw", [[], "person", 3, None])
def test_not_an_object(raw: Any) -> None:
    result = evaluate(raw, None, screening())
    assert isinstance(result, InputError)
    assert result.fields == []
    assert "JSON" in result.message("vi")


def test_every_error_is_listed_in_one_message() -> None:
    error = screen_error(PERSON, release_status="done", amount=-1, same_purpose_debt=DROP)
    assert error.fields == ["release_status", "amount", "same_purpose_debt"]
    assert error.to_json("en") == {"error": error.message("en")}
    assert "\n" not in error.message("km")


def _asking(answers: dict[str, Any]) -> list[str]:
    """The questions a chat asks, answering each with the value from `answers`."""
    from content.screening.flow import next_question

    given: dict[str, Any] = {}
    asked = []
    while (question := next_question(given, screening())) is not None:
        asked.append(question.id)
        given[question.id] = answers[question.id]
    return asked


def test_chat_flow_asks_only_what_applies() -> None:
    full = {**PERSON, "amount": 1}
    assert _asking(full) == [
        "applicant", "release_status", "has_certificate", "release_date", "purpose", "amount",
        "same_purpose_debt",
    ]  # fmt: skip
    in_prison = {**full, "release_status": "in_prison"}
    assert _asking(in_prison) == [
        "applicant",
        "release_status",
        "release_date",
        "purpose",
        "amount",
        "same_purpose_debt",
    ]
    probation = {**full, "release_status": "conditional_release", "has_certificate": "no"}
    assert "release_date" not in _asking(probation)
    suspended = {**full, "release_status": "suspended_sentence"}
    assert _asking(suspended) == ["applicant", "release_status", "purpose", "amount", "same_purpose_debt"]
    # Issue 18: the chat also asks whether the released workers qualify and have labour contracts
    # (optional answers: the API's answer sets without them still screen).
    business = {**BUSINESS, "workers_certified": "yes", "labour_contracts": "yes"}
    assert _asking(business) == [
        "applicant", "business_type", "lawfully_operating", "total_workers", "released_workers",
        "workers_certified", "labour_contracts", "amount", "same_purpose_debt",
    ]  # fmt: skip
