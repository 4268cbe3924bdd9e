"""The fixed ids of the screening (screening.md) and what the evaluator needs from the content file.

Reason ids and note ids are part of the machine contract (`buocmoi screen --json`, the API, leads);
never rename one. The not_yet reasons `in_prison` and `conditional_release_probation` are ours: the
spec fixes the outcome for those cases, and the reason id lets a client explain it.
"""

from __future__ import annotations

from typing import Final, Literal

Outcome = Literal["likely_eligible", "needs_review", "not_yet", "not_eligible"]
# Best first: a result's outcome is the worst outcome any of its reasons leads to.
OUTCOMES: Final[tuple[Outcome, ...]] = ("likely_eligible", "needs_review", "not_yet", "not_eligible")
OUTCOME_OF_KIND: Final[dict[str, Outcome]] = {
    "review": "needs_review",
    "not_yet": "not_yet",
    "fail": "not_eligible",
}

POLICY_NOT_IN_FORCE = "policy_not_in_force"
STATUS_NOT_COVERED = "status_not_covered"
IN_PRISON = "in_prison"
CONDITIONAL_RELEASE_PROBATION = "conditional_release_probation"
CONDITIONAL_RELEASE_UNCONFIRMED = "conditional_release_unconfirmed"
NO_CERTIFICATE = "no_certificate"
CERTIFICATE_UNKNOWN = "certificate_unknown"
TOO_LONG_SINCE_RELEASE = "too_long_since_release"
# Ours (issue 17): "không nhớ rõ" the release date -> needs review, never eligible.
RELEASE_DATE_UNKNOWN = "release_date_unknown"
PURPOSE_NOT_COVERED = "purpose_not_covered"
SAME_PURPOSE_DEBT = "same_purpose_debt"
SAME_PURPOSE_DEBT_UNKNOWN = "same_purpose_debt_unknown"
BUSINESS_TYPE_NOT_COVERED = "business_type_not_covered"
NOT_LAWFULLY_OPERATING = "not_lawfully_operating"
RELEASED_SHARE_BELOW_10PCT = "released_share_below_10pct"
# Issue 18: the released workers counted must meet the individual conditions (certificate, within
# 5 years) and have labour contracts (Điều 3 khoản 1 điểm b, khoản 2 điểm b). Optional answers, so
# older clients' answer sets still screen as before.
WORKERS_NOT_QUALIFIED = "workers_not_qualified"
WORKERS_QUALIFIED_UNKNOWN = "workers_qualified_unknown"
NO_LABOUR_CONTRACTS = "no_labour_contracts"
LABOUR_CONTRACTS_UNKNOWN = "labour_contracts_unknown"
AMOUNT_CAPPED = "amount_capped"
COLLATERAL_REQUIRED = "collateral_required"

# rule id -> (kind, params the content must give)
RULES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    POLICY_NOT_IN_FORCE: ("fail", ()),
    STATUS_NOT_COVERED: ("fail", ()),
    IN_PRISON: ("not_yet", ()),
    CONDITIONAL_RELEASE_PROBATION: ("not_yet", ()),
    CONDITIONAL_RELEASE_UNCONFIRMED: ("review", ()),
    NO_CERTIFICATE: ("fail", ()),
    CERTIFICATE_UNKNOWN: ("review", ()),
    TOO_LONG_SINCE_RELEASE: ("fail", ("years",)),
    RELEASE_DATE_UNKNOWN: ("review", ()),
    PURPOSE_NOT_COVERED: ("fail", ()),
    SAME_PURPOSE_DEBT: ("fail", ()),
    SAME_PURPOSE_DEBT_UNKNOWN: ("review", ()),
    BUSINESS_TYPE_NOT_COVERED: ("fail", ()),
    NOT_LAWFULLY_OPERATING: ("fail", ()),
    RELEASED_SHARE_BELOW_10PCT: ("fail", ("min_percent",)),
    WORKERS_NOT_QUALIFIED: ("fail", ()),
    WORKERS_QUALIFIED_UNKNOWN: ("review", ()),
    NO_LABOUR_CONTRACTS: ("fail", ()),
    LABOUR_CONTRACTS_UNKNOWN: ("review", ()),
    AMOUNT_CAPPED: ("note", ()),
    COLLATERAL_REQUIRED: ("note", ("over",)),
}

# Placeholders the evaluator fills in for a rule's texts, besides the rule's own params
# (amounts arrive formatted for the language).
COMMON_PLACEHOLDERS: Final[frozenset[str]] = frozenset({"as_of", "max_amount"})
RULE_PLACEHOLDERS: Final[dict[str, set[str]]] = {rule_id: set(COMMON_PLACEHOLDERS) for rule_id in RULES} | {
    TOO_LONG_SINCE_RELEASE: {*COMMON_PLACEHOLDERS, "deadline", "release_date"},
    RELEASED_SHARE_BELOW_10PCT: {*COMMON_PLACEHOLDERS, "needed", "total_workers", "released_workers"},
}
CAP_PLACEHOLDERS: Final[set[str]] = {"max_amount", "project_cap", "per_worker"}

CAP_TRAINING = "person_training"
CAP_PRODUCTION = "person_production"
CAP_PROJECT = "business_project"
CAP_PER_WORKER = "business_per_worker"
CAPS: Final[tuple[str, ...]] = (CAP_TRAINING, CAP_PRODUCTION, CAP_PROJECT, CAP_PER_WORKER)
CAPS_EXPLAINED: Final[tuple[str, ...]] = (CAP_TRAINING, CAP_PRODUCTION, CAP_PROJECT)

# Questions the evaluator reads: applicant -> id -> (type, choices it relies on).
YES_NO_UNKNOWN: Final[tuple[str, ...]] = ("yes", "no", "unknown")
QUESTIONS: Final[dict[str, dict[str, tuple[str, tuple[str, ...]]]]] = {
    "any": {"applicant": ("choice", ("person", "business")), "as_of": ("date", ())},
    "person": {
        "release_status": (
            "choice",
            ("completed", "amnesty", "conditional_release", "in_prison", "suspended_sentence", "other"),
        ),
        "has_certificate": ("choice", YES_NO_UNKNOWN),
        "release_date": ("month_or_date", ()),
        "purpose": ("choice", ("training", "production", "other")),
        "amount": ("amount", ()),
        "same_purpose_debt": ("choice", YES_NO_UNKNOWN),
        "commune_code": ("code", ()),
    },
    "business": {
        "business_type": (
            "choice",
            ("sme", "cooperative", "cooperative_group", "household_business", "other"),
        ),
        "lawfully_operating": ("choice", ("yes", "no")),
        "total_workers": ("integer", ()),
        "released_workers": ("integer", ()),
        "workers_certified": ("choice", YES_NO_UNKNOWN),
        "labour_contracts": ("choice", YES_NO_UNKNOWN),
        "amount": ("amount", ()),
        "same_purpose_debt": ("choice", YES_NO_UNKNOWN),
    },
}

# Input error codes (messages in the content file) and the placeholders each may use.
ERROR_PLACEHOLDERS: Final[dict[str, set[str]]] = {
    "field": {"id", "label", "problem"},
    "bad_json": set(),
    "empty_line": set(),
    "not_an_object": set(),
    "missing": set(),
    "not_in_list": {"value", "choices"},
    "not_whole_number": {"value"},
    "too_small": {"value", "min"},
    "too_large": {"value", "max"},
    "bad_date": {"value", "forms"},
    "after_as_of": {"value", "as_of"},
    "more_than": {"value", "other_id", "other_label", "other_value"},
    "not_a_code": {"value"},
}
ERROR_CODES: Final[tuple[str, ...]] = tuple(ERROR_PLACEHOLDERS)
