"""The one screening evaluator (screening.md): answers → outcome, every reason and note, the cap.

Pure: no I/O, and the same answers, `as_of` and content always give the same result (only a missing
`as_of` reads today's date). Both the chat flow and the API call `evaluate`. The condition of each
rule is code here, keyed by the rule id; its figures, dates, legal basis and wording are content.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from content.screening import ids
from content.screening.answers import UNKNOWN_DATE, Answers, InputError, check_dates, parse
from content.screening.dates import add_years
from content.screening.result import CapInfo, Finding, Money, Placeholder, ScreeningResult
from content.screening.schema import Cap, ScreeningContent

_NOT_COVERED = ("suspended_sentence", "other")
_NEEDS_TIME_CHECK = ("completed", "amnesty")
# Outcome precedence, best first; the worst applicable outcome wins.
_RANK = {outcome: rank for rank, outcome in enumerate(ids.OUTCOMES)}

Add = Callable[..., None]


def evaluate(answers: object, as_of: date | None, rules: ScreeningContent) -> ScreeningResult | InputError:
    """Screen one answer set. `as_of` (when given) overrides an `as_of` inside the answers, which
    otherwise default to today (Vietnam time). Never raises on any input: bad answers give an
    `InputError` naming each field and its problem."""
    parsed = parse(answers, as_of, rules)
    if isinstance(parsed, InputError):
        return parsed
    day = parsed.as_of
    if not rules.policy.in_force(day):
        rule = rules.rule_any(ids.POLICY_NOT_IN_FORCE)
        return ScreeningResult(
            outcome="not_eligible",
            reasons=(ids.POLICY_NOT_IN_FORCE,),
            notes=(),
            max_amount=None,
            max_amount_per=None,
            as_of=day,
            findings=(Finding(rule),) if rule is not None else (),
            cap=None,
            content=rules,
        )
    date_error = check_dates(parsed, rules)
    if date_error is not None:
        return date_error

    findings: list[Finding] = []

    def add(rule_id: str, **values: Placeholder) -> None:
        rule = rules.rule(rule_id, day)
        if rule is not None:
            findings.append(Finding(rule, values))

    if parsed.applicant == "person":
        cap = _screen_person(parsed, rules, add)
    else:
        cap = _screen_business(parsed, rules, add)
    return _result(day, findings, cap, rules)


def _screen_person(answers: Answers, rules: ScreeningContent, add: Add) -> CapInfo | None:
    day = answers.as_of
    status, certificate = answers.choice("release_status"), answers.choice("has_certificate")
    if status in _NOT_COVERED:
        add(ids.STATUS_NOT_COVERED)
    elif status == "in_prison":
        add(ids.IN_PRISON)
    elif status == "conditional_release":
        add(
            ids.CONDITIONAL_RELEASE_UNCONFIRMED if certificate == "yes" else ids.CONDITIONAL_RELEASE_PROBATION
        )
        # The date (end of probation) is optional without the certificate; when given it counts too,
        # so that no answer "improves" a result that is already too late.
        _check_time(answers, rules, add)
    elif status in _NEEDS_TIME_CHECK:
        if certificate == "no":
            add(ids.NO_CERTIFICATE)
        elif certificate == "unknown":
            add(ids.CERTIFICATE_UNKNOWN)
        _check_time(answers, rules, add)

    purpose = answers.choice("purpose")
    if purpose == "other":
        add(ids.PURPOSE_NOT_COVERED)
    _check_debt(answers, add)

    cap_id = {"training": ids.CAP_TRAINING, "production": ids.CAP_PRODUCTION}.get(purpose or "")
    cap = rules.cap(cap_id, day) if cap_id else None
    if cap is None:
        return None
    per = "month" if cap.per == "month" else "loan"
    info = CapInfo((cap,), {"max_amount": Money(cap.amount, per)})
    amount = answers.integer("amount")
    if amount is not None and amount > cap.amount:
        add(ids.AMOUNT_CAPPED)
    return info


def _check_time(answers: Answers, rules: ScreeningContent, add: Add) -> None:
    """The 5-year limit: as_of may be at most the same calendar date `years` after release."""
    if answers.values.get("release_date") == UNKNOWN_DATE:
        add(ids.RELEASE_DATE_UNKNOWN)
        return
    given = answers.month_or_date("release_date")
    rule = rules.rule(ids.TOO_LONG_SINCE_RELEASE, answers.as_of)
    if given is None or rule is None:
        return
    released = given.resolve(answers.as_of)
    deadline = add_years(released, rule.params["years"])
    if deadline is not None and answers.as_of > deadline:
        add(ids.TOO_LONG_SINCE_RELEASE, deadline=deadline, release_date=released)


def _check_debt(answers: Answers, add: Add) -> None:
    debt = answers.choice("same_purpose_debt")
    if debt == "yes":
        add(ids.SAME_PURPOSE_DEBT)
    elif debt == "unknown":
        add(ids.SAME_PURPOSE_DEBT_UNKNOWN)


def _screen_business(answers: Answers, rules: ScreeningContent, add: Add) -> CapInfo | None:
    day = answers.as_of
    if answers.choice("business_type") == "other":
        add(ids.BUSINESS_TYPE_NOT_COVERED)
    if answers.choice("lawfully_operating") == "no":
        add(ids.NOT_LAWFULLY_OPERATING)
    total, released = answers.integer("total_workers") or 0, answers.integer("released_workers") or 0
    share_rule = rules.rule(ids.RELEASED_SHARE_BELOW_10PCT, day)
    if share_rule is not None:
        percent = share_rule.params["min_percent"]
        if released * 100 < percent * total:  # exactly the share passes
            needed = -(-percent * total // 100)
            add(ids.RELEASED_SHARE_BELOW_10PCT, needed=needed, total_workers=total, released_workers=released)
    certified = answers.choice("workers_certified")
    if certified == "no":
        add(ids.WORKERS_NOT_QUALIFIED)
    elif certified == "unknown":
        add(ids.WORKERS_QUALIFIED_UNKNOWN)
    contracts = answers.choice("labour_contracts")
    if contracts == "no":
        add(ids.NO_LABOUR_CONTRACTS)
    elif contracts == "unknown":
        add(ids.LABOUR_CONTRACTS_UNKNOWN)
    _check_debt(answers, add)

    project, per_worker = rules.cap(ids.CAP_PROJECT, day), rules.cap(ids.CAP_PER_WORKER, day)
    caps: tuple[Cap, ...] = tuple(c for c in (project, per_worker) if c is not None)
    limits = [project.amount] if project else []
    limits += [per_worker.amount * total] if per_worker else []
    max_amount = min(limits) if limits else None
    amount = answers.integer("amount")
    if max_amount is not None and amount is not None and amount > max_amount:
        add(ids.AMOUNT_CAPPED)

    collateral = rules.rule(ids.COLLATERAL_REQUIRED, day)
    # The amount considered: the requested amount, or the cap if lower (the cap when none is asked).
    present = [x for x in (amount, max_amount) if x is not None]
    considered = min(present) if present else None
    if collateral is not None and considered is not None and considered > collateral.params["over"]:
        add(ids.COLLATERAL_REQUIRED, over=Money(collateral.params["over"]))
    if max_amount is None:
        return None
    values: dict[str, Placeholder] = {"max_amount": Money(max_amount)}
    if project is not None:
        values["project_cap"] = Money(project.amount)
    if per_worker is not None:
        values["per_worker"] = Money(per_worker.amount)
    return CapInfo(caps, values)


def _result(
    day: date, findings: list[Finding], cap: CapInfo | None, rules: ScreeningContent
) -> ScreeningResult:
    outcome: ids.Outcome = "likely_eligible"
    for finding in findings:
        candidate = ids.OUTCOME_OF_KIND.get(finding.rule.kind)
        if candidate is not None and _RANK[candidate] > _RANK[outcome]:
            outcome = candidate
    max_amount = _cap_amount(cap)
    return ScreeningResult(
        outcome=outcome,
        reasons=tuple(f.rule.id for f in findings if f.rule.kind != "note"),
        notes=tuple(f.rule.id for f in findings if f.rule.kind == "note"),
        max_amount=max_amount.amount if max_amount else None,
        max_amount_per=max_amount.per if max_amount else None,
        as_of=day,
        findings=tuple(findings),
        cap=cap,
        content=rules,
    )


def _cap_amount(cap: CapInfo | None) -> Money | None:
    value: Any = cap.values.get("max_amount") if cap else None
    return value if isinstance(value, Money) else None
