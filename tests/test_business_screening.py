"""The business questions added by issue 18: the released workers hold their certificates (within the
5-year limit) and have labour contracts. Optional answers: without them the spec's results stay exact."""

from __future__ import annotations

from tests.screening_cases import BUSINESS, screen


def test_without_the_new_answers_the_spec_example_is_unchanged() -> None:
    result = screen(BUSINESS)
    assert (result.outcome, result.reasons, result.notes) == ("likely_eligible", (), ("collateral_required",))
    assert result.max_amount == 2_000_000_000


def test_workers_without_certificates_or_contracts_fail() -> None:
    no_certificates = screen(BUSINESS, workers_certified="no", labour_contracts="yes")
    assert (no_certificates.outcome, no_certificates.reasons) == ("not_eligible", ("workers_not_qualified",))
    no_contracts = screen(BUSINESS, workers_certified="yes", labour_contracts="no")
    assert (no_contracts.outcome, no_contracts.reasons) == ("not_eligible", ("no_labour_contracts",))


def test_not_knowing_needs_review_and_says_what_would_change_it() -> None:
    result = screen(BUSINESS, workers_certified="unknown", labour_contracts="unknown")
    assert result.outcome == "needs_review"
    assert result.reasons == ("workers_qualified_unknown", "labour_contracts_unknown")
    body = result.to_json("vi")
    texts = " ".join(item["text"] + item["remedy"] for item in body["explanations"])
    assert "5 năm" in texts and "hợp đồng lao động" in texts
    for lang in ("en", "km"):
        assert all(item["text"] and item["remedy"] for item in result.to_json(lang)["explanations"])


def test_both_yes_changes_nothing() -> None:
    result = screen(BUSINESS, workers_certified="yes", labour_contracts="yes")
    assert (result.outcome, result.reasons) == ("likely_eligible", ())


def test_a_bad_value_is_an_input_error() -> None:
    from tests.screening_cases import screen_error

    assert screen_error(BUSINESS, workers_certified="maybe").fields == ["workers_certified"]
