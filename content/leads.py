"""Referral wording as data: decline reasons, status names, and the discreet messages a person gets."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from content.discreet import forbidden_words_in
from content.localized import LANGS, Localized, ReviewMeta, check_placeholders
from content.problems import Problem
from content.source import load_model

FILE = "leads.yaml"

STATUSES = (
    "new",
    "received",
    "contacted",
    "listed",
    "sent_to_bank",
    "plan_confirmed",
    "approved",
    "disbursed",
    "declined",
    "withdrawn",
)


class DeclineReason(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: Localized  # for staff
    # The reason as the person is told it, and what would change the result: both go into the
    # person's status update (sent on its own: discreet) and their /dulieu view.
    person: Localized
    remedy: Localized


class BusinessWords(BaseModel):
    """A business's referral (issue 18): the bank hears of it at once; the business gets its own
    status updates (sent on their own: discreet, like a person's)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bank_new_lead: Localized  # {reference} {commune}
    updates: dict[str, Localized]  # by status; declined: {reason} {remedy}


class LeadsContent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    status_labels: dict[str, Localized]
    decline_reasons: list[DeclineReason]
    # Sent to the person on their own when a status changes: must stay discreet.
    person_updates: dict[str, Localized]
    # Sent to a commune officer when a new lead of their commune arrives.
    officer_new_lead: Localized
    bank_new_lead: Localized
    escalation: Localized  # {reference} {commune} {days} {officers}
    escalation_no_officer: Localized
    escalation_view_button: Localized
    # The loop closed (issue 15): the bank's decisions to the commune's officers, a transfer to the
    # new commune's officers and (discreetly) to the person, the coordinator's reminder.
    officer_bank_decision: dict[str, Localized]
    officer_transferred_lead: Localized
    person_transferred: Localized
    officer_reminder: Localized
    escalation_remind_button: Localized
    # A declined request in the person's /dulieu view ({reason}, {remedy}).
    decline_explained: Localized
    # Into an officer's linked chat on /dangnhap ({minutes}, {url}).
    console_login_link: Localized
    business: BusinessWords

    @model_validator(mode="after")
    def _complete(self) -> LeadsContent:
        missing = [s for s in STATUSES if s not in self.status_labels]
        if missing:
            raise ValueError(f"status_labels lacks {', '.join(missing)}")
        unknown = [s for s in [*self.person_updates, *self.business.updates] if s not in STATUSES]
        if unknown:
            raise ValueError(f"person_updates has unknown statuses {', '.join(unknown)}")
        return self

    def decline_reason_ids(self) -> list[str]:
        return [r.id for r in self.decline_reasons]

    def decline_reason(self, reason_id: str | None) -> DeclineReason:
        """The reason of that id; "other" for one no longer in the content (an old lead)."""
        by_id = {r.id: r for r in self.decline_reasons}
        return by_id.get(reason_id or "", by_id.get("other", self.decline_reasons[-1]))


# Placeholders of the person's updates: a declined one names the reason and its remedy.
_UPDATE_FIELDS = {"declined": frozenset({"reference", "reason", "remedy"})}
_REQUIRED_FIELDS = {"declined": ("{reason}", "{remedy}")}


def load(root: Path, problems: list[Problem]) -> LeadsContent | None:
    leads = load_model(root, FILE, LeadsContent, problems)
    if leads is None:
        return None
    before = len(problems)
    discreet = {f"person_updates.{status}": text for status, text in leads.person_updates.items()}
    for n, reason in enumerate(leads.decline_reasons):
        discreet[f"decline_reasons.{n}.person"] = reason.person
        discreet[f"decline_reasons.{n}.remedy"] = reason.remedy
    discreet["decline_explained"] = leads.decline_explained
    for status, text in leads.business.updates.items():
        discreet[f"business.updates.{status}"] = text
        fields = _UPDATE_FIELDS.get(status, frozenset({"reference"}))
        check_placeholders(text, fields, FILE, f"business.updates.{status}", problems)
    check_placeholders(
        leads.business.bank_new_lead,
        frozenset({"reference", "commune"}),
        FILE,
        "business.bank_new_lead",
        problems,
    )
    discreet["person_transferred"] = leads.person_transferred
    check_placeholders(
        leads.person_transferred, frozenset({"reference", "commune"}), FILE, "person_transferred", problems
    )
    for status, text in leads.person_updates.items():
        place = f"person_updates.{status}"
        check_placeholders(text, _UPDATE_FIELDS.get(status, frozenset({"reference"})), FILE, place, problems)
        for lang in LANGS:
            missing = [name for name in _REQUIRED_FIELDS.get(status, ()) if name not in text.get(lang)]
            if missing:
                problems.append(Problem(FILE, f"{place}.{lang}", f"must contain {', '.join(missing)}"))
    check_placeholders(
        leads.decline_explained, frozenset({"reason", "remedy"}), FILE, "decline_explained", problems
    )
    for place, text in discreet.items():
        for lang in LANGS:
            for word in forbidden_words_in(text.get(lang)):
                problems.append(
                    Problem(FILE, f"{place}.{lang}", f"a discreet message must not contain {word!r}")
                )
    return leads if len(problems) == before else None
