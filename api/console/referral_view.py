"""What a referral's page shows beyond the lead itself: the timeline, the screening criterion by
criterion, other referrals with the same phone, and the monthly-list fields (validated)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from api.console.i18n import T_
from api.models import Account, Lead, LeadEvent, LeadNote
from api.services import leads
from content.catalog import get_content

# Short names of the screening rules for staff (the rules' own texts speak to the person).
CRITERIA: list[tuple[str, tuple[str, ...]]] = [
    (T_("Quyết định 22 đang có hiệu lực"), ("policy_not_in_force",)),
    (T_("Thuộc diện chấp hành xong án phạt tù hoặc được đặc xá"), ("status_not_covered", "in_prison")),
    (
        T_("Tha tù trước thời hạn: đã hết thời gian thử thách"),
        ("conditional_release_probation", "conditional_release_unconfirmed"),
    ),
    (T_("Có giấy chứng nhận"), ("no_certificate", "certificate_unknown")),
    (T_("Còn trong thời hạn kể từ ngày chấp hành xong án"), ("too_long_since_release",)),
    (T_("Mục đích vay được hỗ trợ"), ("purpose_not_covered",)),
    (T_("Không còn dư nợ cùng mục đích"), ("same_purpose_debt", "same_purpose_debt_unknown")),
    (T_("Ngành nghề của cơ sở được hỗ trợ"), ("business_type_not_covered",)),
    (T_("Cơ sở hoạt động hợp pháp"), ("not_lawfully_operating",)),
    (T_("Tỷ lệ người lao động đã chấp hành xong án"), ("released_share_below_10pct",)),
    (
        T_("Người lao động có giấy chứng nhận, chưa quá 5 năm"),
        ("workers_not_qualified", "workers_qualified_unknown"),
    ),
    (
        T_("Có hợp đồng lao động với người đã chấp hành xong án"),
        ("no_labour_contracts", "labour_contracts_unknown"),
    ),
    (T_("Số tiền trong mức cho vay tối đa"), ("amount_capped",)),
    (T_("Bảo đảm tiền vay"), ("collateral_required",)),
]
DUPLICATE_WINDOW = timedelta(days=365)
DETAIL_FIELDS = ("birth_year", "gender", "address", "release_date")


@dataclass(frozen=True)
class Criterion:
    name: str  # message id
    result: str  # "pass" | "fail" | "note"
    basis: str
    explanation: str | None


def criteria(lead: Lead, lang: str) -> list[Criterion]:
    """Each criterion that applies to this kind of applicant: met, not met, or to check."""
    screening = get_content().screening
    stored = lead.screening or {}
    reasons, notes = set(stored.get("reasons", [])), set(stored.get("notes", []))
    explained = {str(e.get("id")): e for e in stored.get("explanations", []) if isinstance(e, dict)}
    found: list[Criterion] = []
    for name, rule_ids in CRITERIA:
        rules = [r for rid in rule_ids if (r := screening.rule_any(rid)) is not None]
        rules = [r for r in rules if lead.applicant in r.applicants]
        if not rules:
            continue
        fired = [rid for rid in rule_ids if rid in reasons or rid in notes]
        if not fired and not _applies(rule_ids, lead.answers or {}):
            continue
        result = "fail" if any(r in reasons for r in fired) else ("note" if fired else "pass")
        explanation = next((str(explained[r].get("text")) for r in fired if r in explained), None)
        found.append(Criterion(name, result, rules[0].basis.get(lang), explanation))
    return found


# Criteria that concern one kind of case only (shown for it, or when they fired).
_ONLY_WHEN = {"conditional_release_probation": ("release_status", {"conditional_release"})}


def _applies(rule_ids: tuple[str, ...], given: dict[str, Any]) -> bool:
    for rule_id in rule_ids:
        condition = _ONLY_WHEN.get(rule_id)
        if condition is not None and str(given.get(condition[0])) not in condition[1]:
            return False
    return True


def answers(lead: Lead, lang: str) -> list[tuple[str, str]]:
    """The person's answers, each with its question's short name, in the questions' order."""
    screening = get_content().screening
    shown: list[tuple[str, str]] = []
    given = lead.answers or {}
    for question in screening.questions_for(lead.applicant):
        if question.id in ("applicant", "as_of", "commune_code") or question.id not in given:
            continue
        value = given[question.id]
        choice = next((c for c in question.choices if c.id == str(value)), None)
        if choice is not None:
            text = choice.label.get(lang)
        elif isinstance(value, int) and not isinstance(value, bool):
            text = f"{value:,}".replace(",", ".")
        else:
            text = _vietnamese_date(str(value))
        shown.append((question.label.get(lang), text))
    return shown


def _vietnamese_date(text: str) -> str:
    """An ISO month or day ("2025-03", "2025-03-15") as staff write it ("03/2025", "15/03/2025")."""
    if match := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text):
        year, month, day = match.groups()
        return f"{day}/{month}/{year}" if day else f"{month}/{year}"
    return text


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a status step, a note, or an edit of the list fields."""

    at: datetime
    who: str
    kind: str  # "status" | "note" | "details"
    from_status: str | None = None
    to_status: str | None = None
    reason: str | None = None
    text: str | None = None
    details: dict[str, Any] | None = None  # an amount, a payout day, the communes of a transfer


def timeline(session: Session, lead: Lead, only_by: int | None = None) -> list[Entry]:
    """The referral's steps and notes, oldest first; `only_by`: only what that account did (an
    intake officer sees what it typed, not the other agencies' work on the case)."""
    names = _names(session)
    entries = [
        Entry(
            at=e.at,
            who=names.get(e.actor_account_id or 0, ""),
            kind=e.reason if e.reason in ("transferred", "reminded") else "status",
            details=e.details,
            from_status=e.from_status,
            to_status=e.to_status,
            reason=e.reason,
            text=e.note,
        )
        for e in leads.events_of(session, lead)
        if only_by is None or e.actor_account_id == only_by
    ]
    notes = session.exec(
        select(LeadNote).where(LeadNote.lead_id == lead.id).order_by(col(LeadNote.at), col(LeadNote.id))
    ).all()
    notes = [n for n in notes if only_by is None or n.account_id == only_by]
    entries += [Entry(at=n.at, who=names.get(n.account_id or 0, ""), kind=n.kind, text=n.text) for n in notes]
    return sorted(entries, key=lambda entry: entry.at)


def _names(session: Session) -> dict[int, str]:
    # Staff accounts are few (one per commune at most): one query for every name on the page.
    return {a.id: a.name for a in session.exec(select(Account)).all() if a.id is not None}


def same_phone_count(session: Session, lead: Lead, now: datetime) -> int:
    """Other referrals with this phone in the last 12 months (anywhere: only the count is shown)."""
    if not lead.contact_phone:
        return 0
    return int(
        session.exec(
            select(func.count())
            .select_from(Lead)
            .where(
                Lead.contact_phone == lead.contact_phone,
                Lead.id != lead.id,
                col(Lead.created_at) >= now - DUPLICATE_WINDOW,
            )
        ).one()
    )


def add_note(
    session: Session, lead: Lead, account_id: int, kind: str, text: str | None, now: datetime
) -> None:
    session.add(LeadNote(lead_id=lead.id, at=now, account_id=account_id, kind=kind, text=text))
    session.commit()


class DetailsError(ValueError):
    """Field → message id, for the form."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(", ".join(errors))


def birth_years(today: date) -> tuple[int, int]:
    """The years of birth the list may hold: a borrower is 14 to 100 years old."""
    return today.year - 100, today.year - 14


EARLIEST_RELEASE_YEAR = 1950


def parse_details(form: dict[str, str], today: date) -> dict[str, Any]:
    """The monthly-list fields from the form; empty means unknown. Raises `DetailsError`."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    year = form.get("birth_year", "").strip()
    oldest, youngest = birth_years(today)
    if year:
        if not re.fullmatch(r"\d{4}", year):
            errors["birth_year"] = T_("Năm sinh gồm 4 chữ số, ví dụ 1985.")
        elif not oldest <= int(year) <= youngest:
            # The message names the range (the page formats it): "4 digits" would not say why 1800 is refused.
            errors["birth_year"] = T_("Năm sinh từ {oldest} đến {youngest}.")
        else:
            values["birth_year"] = int(year)
    gender = form.get("gender", "").strip()
    if gender:
        if gender not in get_content().monthly_list.genders:
            errors["gender"] = T_("Chọn giới tính trong danh sách.")
        else:
            values["gender"] = gender
    address = " ".join(form.get("address", "").split())
    if len(address) > 300:
        errors["address"] = T_("Nơi cư trú dài tối đa 300 ký tự.")
    elif address:
        values["address"] = address
    released = form.get("release_date", "").strip()
    if released:
        try:
            day = date.fromisoformat(released)
        except ValueError:
            errors["release_date"] = T_("Ngày không hợp lệ (ngày/tháng/năm).")
        else:
            if day > today:
                errors["release_date"] = T_("Ngày chấp hành xong án không thể sau hôm nay.")
            elif day.year < EARLIEST_RELEASE_YEAR:
                errors["release_date"] = T_("Ngày chấp hành xong án từ năm 1950 trở đi.")
            else:
                values["release_date"] = day.isoformat()
    if errors:
        raise DetailsError(errors)
    return values


def save_details(session: Session, lead: Lead, values: dict[str, Any]) -> list[str]:
    """Store the fields in the lead's contact details; returns the names of those that changed."""
    extra = dict(lead.contact_extra or {})
    changed = [f for f in DETAIL_FIELDS if extra.get(f) != values.get(f)]
    for name in DETAIL_FIELDS:
        if name in values:
            extra[name] = values[name]
        else:
            extra.pop(name, None)
    lead.contact_extra = extra
    session.add(lead)
    session.commit()
    return changed


def last_status_event(session: Session, lead: Lead) -> LeadEvent | None:
    return session.exec(
        select(LeadEvent).where(LeadEvent.lead_id == lead.id).order_by(col(LeadEvent.at).desc())
    ).first()
