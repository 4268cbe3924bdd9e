"""Every screening rule of screening.md on both sides of its boundary, the caps, the precedence."""

from __future__ import annotations

from datetime import date

import pytest

from content.screening import evaluate
from content.screening.schema import check
from tests.screening_cases import BUSINESS, DROP, PERSON, screen, screen_error, screening, vary


def test_spec_examples() -> None:
    person = screen(PERSON)
    assert (person.outcome, person.reasons, person.notes, person.max_amount) == (
        "likely_eligible",
        (),
        (),
        100_000_000,
    )
    business = screen(BUSINESS)
    assert (business.outcome, business.reasons, business.notes, business.max_amount) == (
        "likely_eligible",
        (),
        ("collateral_required",),
        2_000_000_000,
    )


# --- person: status and certificate -------------------------------------------------------------


@pytest.mark.parametrize("status", ["suspended_sentence", "other"])
def test_status_not_covered(status: str) -> None:
    result = screen(PERSON, release_status=status, has_certificate=DROP, release_date=DROP)
    assert result.outcome == "not_eligible"
    assert result.reasons == ("status_not_covered",)


@pytest.mark.parametrize("status", ["completed", "amnesty"])
def test_covered_statuses(status: str) -> None:
    assert screen(PERSON, release_status=status).outcome == "likely_eligible"


def test_in_prison_is_not_yet_and_release_date_is_optional_and_may_be_future() -> None:
    for release_date in (DROP, "2027-05-01", "2027-05", "2020-01-01"):
        result = screen(PERSON, release_status="in_prison", has_certificate=DROP, release_date=release_date)
        assert (result.outcome, result.reasons) == ("not_yet", ("in_prison",))


def test_conditional_release_with_certificate_needs_review() -> None:
    result = screen(PERSON, release_status="conditional_release", has_certificate="yes")
    assert (result.outcome, result.reasons) == ("needs_review", ("conditional_release_unconfirmed",))


@pytest.mark.parametrize("certificate", ["no", "unknown"])
def test_conditional_release_without_certificate_is_not_yet(certificate: str) -> None:
    result = screen(
        PERSON, release_status="conditional_release", has_certificate=certificate, release_date=DROP
    )
    assert (result.outcome, result.reasons) == ("not_yet", ("conditional_release_probation",))


def test_conditional_release_with_certificate_still_has_the_five_year_limit() -> None:
    result = screen(PERSON, release_status="conditional_release", release_date="2021-11-23")
    assert result.outcome == "not_eligible"
    assert result.reasons == ("conditional_release_unconfirmed", "too_long_since_release")


@pytest.mark.parametrize("status", ["completed", "amnesty"])
def test_certificate_yes_no_unknown(status: str) -> None:
    assert screen(PERSON, release_status=status, has_certificate="yes").reasons == ()
    no = screen(PERSON, release_status=status, has_certificate="no")
    assert (no.outcome, no.reasons) == ("not_eligible", ("no_certificate",))
    unknown = screen(PERSON, release_status=status, has_certificate="unknown")
    assert (unknown.outcome, unknown.reasons) == ("needs_review", ("certificate_unknown",))


# --- person: dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release_date", "last_day_within"),
    [
        ("2021-11-24", "2026-11-24"),  # exactly five years
        ("2020-02-29", "2025-02-28"),  # 29 February → 28 February
        ("2024-02-29", "2029-02-28"),
        ("2028-02-29", "2033-02-28"),
        ("2021-11", "2026-11-30"),  # a month means its last day
        ("2021-02", "2026-02-28"),
        ("2020-02", "2025-02-28"),  # 29 February 2020 → 28 February 2025
    ],
)
def test_five_year_limit_boundary(release_date: str, last_day_within: str) -> None:
    within = screen(PERSON, release_date=release_date, as_of=last_day_within)
    assert within.reasons == ()
    day_after = date.fromisoformat(last_day_within).toordinal() + 1
    beyond = screen(PERSON, release_date=release_date, as_of=date.fromordinal(day_after).isoformat())
    assert (beyond.outcome, beyond.reasons) == ("not_eligible", ("too_long_since_release",))


def test_month_of_as_of_means_as_of() -> None:
    """Released this month: the month is not read as its (future) last day, so no error."""
    result = screen(PERSON, release_date="2026-11", as_of="2026-11-24")
    assert result.outcome == "likely_eligible"
    last_day = screen(PERSON, release_date="2026-11", as_of="2026-11-30")
    assert last_day.outcome == "likely_eligible"


@pytest.mark.parametrize("status", ["completed", "amnesty", "conditional_release"])
@pytest.mark.parametrize("release_date", ["2026-11-25", "2026-12", "2030-01-01"])
def test_release_date_after_as_of_is_an_error(status: str, release_date: str) -> None:
    error = screen_error(PERSON, release_status=status, release_date=release_date)
    assert error.fields == ["release_date"]
    assert "2026-11-24" in error.message("vi")


def test_release_date_on_as_of_is_fine() -> None:
    assert screen(PERSON, release_date="2026-11-24").outcome == "likely_eligible"


def test_policy_not_in_force_before_10_october_2023() -> None:
    for answers in (PERSON, vary(PERSON, purpose="other", same_purpose_debt="yes"), BUSINESS):
        result = screen(answers, as_of="2023-10-09")
        assert (result.outcome, result.reasons, result.notes) == (
            "not_eligible",
            ("policy_not_in_force",),
            (),
        )
        assert result.max_amount is None
    # The spec's example, screened the day before the Decision took effect (its release date is later).
    assert screen(PERSON, as_of="2023-10-09").reasons == ("policy_not_in_force",)
    first_day = screen(PERSON, release_date="2023-10-10", as_of="2023-10-10")
    assert (first_day.outcome, first_day.reasons) == ("likely_eligible", ())


def test_as_of_argument_overrides_the_answers() -> None:
    result = evaluate(PERSON, date(2023, 10, 1), screening())
    assert not isinstance(result, type(screen_error(PERSON, amount=-1)))
    assert result.reasons == ("policy_not_in_force",)


def test_as_of_defaults_to_today() -> None:
    result = screen(PERSON, as_of=DROP, release_date=DROP, release_status="in_prison", has_certificate=DROP)
    assert result.as_of >= date(2025, 1, 1)


# --- person: purpose, debt, caps ------------------------------------------------------------------


def test_purpose() -> None:
    assert screen(PERSON, purpose="production").reasons == ()
    assert screen(PERSON, purpose="training", amount=4_000_000).reasons == ()
    other = screen(PERSON, purpose="other")
    assert (other.outcome, other.reasons, other.max_amount) == (
        "not_eligible",
        ("purpose_not_covered",),
        None,
    )


@pytest.mark.parametrize("base", [PERSON, BUSINESS])
def test_same_purpose_debt(base: dict[str, object]) -> None:
    assert screen(base, same_purpose_debt="no").outcome == "likely_eligible"
    yes = screen(base, same_purpose_debt="yes")
    assert (yes.outcome, yes.reasons) == ("not_eligible", ("same_purpose_debt",))
    unknown = screen(base, same_purpose_debt="unknown")
    assert (unknown.outcome, unknown.reasons) == ("needs_review", ("same_purpose_debt_unknown",))


@pytest.mark.parametrize(
    ("purpose", "cap", "per"), [("production", 100_000_000, "loan"), ("training", 4_000_000, "month")]
)
def test_person_caps(purpose: str, cap: int, per: str) -> None:
    at_cap = screen(PERSON, purpose=purpose, amount=cap)
    assert (at_cap.notes, at_cap.max_amount, at_cap.max_amount_per) == ((), cap, per)
    above = screen(PERSON, purpose=purpose, amount=cap + 1)
    assert (above.outcome, above.notes, above.max_amount) == ("likely_eligible", ("amount_capped",), cap)
    assert screen(PERSON, purpose=purpose, amount=DROP).notes == ()
    assert screen(PERSON, purpose=purpose, amount=0).notes == ()


def test_person_never_needs_collateral() -> None:
    assert screen(PERSON, amount=100_000_000).notes == ()


# --- business -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sme", "cooperative", "cooperative_group", "household_business"])
def test_business_types_covered(kind: str) -> None:
    assert screen(BUSINESS, business_type=kind).reasons == ()


def test_business_type_other_and_lawfulness() -> None:
    assert screen(BUSINESS, business_type="other").reasons == ("business_type_not_covered",)
    assert screen(BUSINESS, lawfully_operating="no").reasons == ("not_lawfully_operating",)
    both = screen(BUSINESS, business_type="other", lawfully_operating="no")
    assert both.reasons == ("business_type_not_covered", "not_lawfully_operating")


@pytest.mark.parametrize(
    ("total", "released", "passes"),
    [
        (20, 2, True),
        (20, 1, False),
        (10, 1, True),
        (11, 1, False),
        (1, 0, False),
        (1, 1, True),
        (30, 3, True),
    ],
)
def test_released_share_boundary(total: int, released: int, passes: bool) -> None:
    result = screen(BUSINESS, total_workers=total, released_workers=released)
    assert (result.reasons == ()) is passes
    if not passes:
        assert (result.outcome, result.reasons) == ("not_eligible", ("released_share_below_10pct",))


@pytest.mark.parametrize(
    ("total", "cap"), [(1, 100_000_000), (5, 500_000_000), (20, 2_000_000_000), (21, 2_000_000_000)]
)
def test_business_cap(total: int, cap: int) -> None:
    at_cap = screen(BUSINESS, total_workers=total, released_workers=total, amount=cap)
    assert (at_cap.max_amount, "amount_capped" in at_cap.notes) == (cap, False)
    above = screen(BUSINESS, total_workers=total, released_workers=total, amount=cap + 1)
    assert "amount_capped" in above.notes
    assert above.outcome == "likely_eligible"


def test_collateral_boundary() -> None:
    assert screen(BUSINESS, amount=100_000_000).notes == ()
    assert screen(BUSINESS, amount=100_000_001).notes == ("collateral_required",)
    # The amount considered is the cap when that is lower than the amount asked.
    one_worker = screen(BUSINESS, total_workers=1, released_workers=1, amount=500_000_000)
    assert one_worker.notes == ("amount_capped",)
    # No amount asked: the cap is what could be borrowed.
    assert screen(BUSINESS, amount=DROP).notes == ("collateral_required",)
    assert screen(BUSINESS, amount=DROP, total_workers=1, released_workers=1).notes == ()


# --- precedence and every reason listed ----------------------------------------------------------


def test_precedence() -> None:
    fail_and_not_yet = screen(
        PERSON, release_status="in_prison", has_certificate=DROP, release_date=DROP, purpose="other"
    )
    assert fail_and_not_yet.outcome == "not_eligible"
    assert fail_and_not_yet.reasons == ("in_prison", "purpose_not_covered")
    not_yet_and_review = screen(
        PERSON,
        release_status="in_prison",
        has_certificate=DROP,
        release_date=DROP,
        same_purpose_debt="unknown",
    )
    assert not_yet_and_review.outcome == "not_yet"
    fail_and_review = screen(PERSON, has_certificate="unknown", same_purpose_debt="yes")
    assert fail_and_review.outcome == "not_eligible"
    assert fail_and_review.reasons == ("certificate_unknown", "same_purpose_debt")
    two_reviews = screen(PERSON, has_certificate="unknown", same_purpose_debt="unknown")
    assert (two_reviews.outcome, len(two_reviews.reasons)) == ("needs_review", 2)


def test_every_failing_reason_is_listed() -> None:
    person = screen(
        PERSON, has_certificate="no", release_date="2015-01-01", purpose="other", same_purpose_debt="yes"
    )
    assert person.reasons == (
        "no_certificate",
        "too_long_since_release",
        "purpose_not_covered",
        "same_purpose_debt",
    )
    business = screen(
        BUSINESS,
        business_type="other",
        lawfully_operating="no",
        released_workers=0,
        same_purpose_debt="yes",
        amount=3_000_000_000,
    )
    assert business.reasons == (
        "business_type_not_covered",
        "not_lawfully_operating",
        "released_share_below_10pct",
        "same_purpose_debt",
    )
    assert business.notes == ("amount_capped", "collateral_required")


# --- rules take effect by date (an amendment is a data change) -----------------------------------


def test_an_amended_cap_takes_effect_on_its_date() -> None:
    content = screening()
    old = next(c for c in content.caps if c.id == "person_production")
    ended = old.model_copy(update={"effective_to": date(2026, 12, 31)})
    amended = old.model_copy(update={"effective_from": date(2027, 1, 1), "amount": 150_000_000})
    caps = [ended if c is old else c for c in content.caps] + [amended]
    changed = content.model_copy(update={"caps": caps})
    problems: list = []
    check(changed, problems)
    assert problems == []
    before = evaluate(vary(PERSON, as_of="2026-12-31"), None, changed)
    after = evaluate(vary(PERSON, as_of="2027-01-01"), None, changed)
    assert (before.max_amount, after.max_amount) == (100_000_000, 150_000_000)  # type: ignore[union-attr]


def test_a_rule_out_of_force_does_not_apply() -> None:
    content = screening()
    rules = [
        r.model_copy(update={"effective_to": date(2025, 12, 31)}) if r.id == "same_purpose_debt" else r
        for r in content.rules
    ]
    changed = content.model_copy(update={"rules": rules})
    result = evaluate(vary(PERSON, same_purpose_debt="yes"), None, changed)
    assert result.reasons == ()  # type: ignore[union-attr]
    earlier = evaluate(vary(PERSON, same_purpose_debt="yes", as_of="2025-12-31"), None, changed)
    assert earlier.reasons == ("same_purpose_debt",)  # type: ignore[union-attr]


def test_conditional_release_without_certificate_and_an_old_date_is_too_late() -> None:
    result = screen(
        PERSON, release_status="conditional_release", has_certificate="no", release_date="2020-01-01"
    )
    assert result.outcome == "not_eligible"
    assert result.reasons == ("conditional_release_probation", "too_long_since_release")
