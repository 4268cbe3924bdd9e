"""Schema of `deadlines.yaml` and `targets.yaml`: the agencies' obligations as data.

Who: an obligation is assigned to account roles (`commune_police`, `bank`, `agency`, `coordinator`);
an `agency` assignee also names an agency kind, one of the kinds declared in the same file, so a
reorganisation adds or renames kinds without code. When: an RFC 5545 RRULE (python-dateutil) giving
the nominal due dates. The rules that turn these into reminders live in `planner.py`.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from content.localized import Localized, ReviewMeta

AccountRole = Literal["commune_police", "bank", "agency", "coordinator"]
PeriodKind = Literal["month", "quarter", "half", "year"]
Confidence = Literal["high", "medium", "low"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ID_LENGTH = 40


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Assignee(_Frozen):
    """Who receives a reminder: an account role, and for `agency` accounts which kind of agency."""

    role: AccountRole
    agency_kind: str | None = None

    @model_validator(mode="after")
    def _kind_only_for_agency(self) -> Assignee:
        if self.role == "agency" and not self.agency_kind:
            raise ValueError("an `agency` assignee needs an `agency_kind`")
        if self.role != "agency" and self.agency_kind:
            raise ValueError("`agency_kind` is only for the `agency` role")
        return self


class Basis(_Frozen):
    """Where an obligation comes from, and how it maps onto the structure in force."""

    document: str
    section: str
    quote: str  # the source's own words (Vietnamese)
    confidence: Confidence
    note: str = ""  # mapping to the 2025 structure, caveats


class Escalation(_Frozen):
    """Escalation to the coordinator while the assignee has not marked the period done."""

    after_working_days: int = Field(ge=1, le=60)
    to: Assignee = Assignee(role="coordinator")


class Deadline(_Frozen):
    id: str
    assignees: list[Assignee] = Field(min_length=1)
    what: Localized  # short name of the obligation
    wording: Localized  # the reminder text; may use {due} and {period}
    # RFC 5545 recurrence of the nominal due dates, e.g. "FREQ=MONTHLY;BYMONTHDAY=5".
    rrule: str
    # Recurrence anchor (matters only for INTERVAL > 1 or COUNT); the plan's own year by default.
    dtstart: date = date(2024, 1, 1)
    due_time: time = time(17, 0)
    # How one occurrence is named for "mark done for this period": 2027-01, 2027-Q1, 2027-H1, 2027.
    period: PeriodKind
    # Days before the nominal due date on which a `before` reminder goes out.
    lead_days: list[int] = Field(default_factory=list)
    escalation: Escalation
    basis: Basis
    # Where the 2024 plan named a body that no longer exists, what it said and how we mapped it.
    seed: str = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be lower_snake_case")
        if len(value) > MAX_ID_LENGTH:
            # The Telegram "done" button carries `rm|<id>|<period>|done` in at most 64 bytes.
            raise ValueError(f"must be at most {MAX_ID_LENGTH} characters")
        return value

    @field_validator("lead_days")
    @classmethod
    def _lead_days(cls, value: list[int]) -> list[int]:
        if any(day < 1 or day > 366 for day in value):
            raise ValueError("lead days must be between 1 and 366")
        if len(set(value)) != len(value):
            raise ValueError("lead days must not repeat")
        return sorted(value, reverse=True)


class CalendarSettings(_Frozen):
    """The working-day calendar: Vietnam's public holidays (`holidays` package) and local changes."""

    country: Literal["VN"] = "VN"
    timezone: str = "Asia/Ho_Chi_Minh"
    # Days off the package does not know (e.g. a holiday schedule announced late); set per deployment.
    extra_days_off: list[date] = Field(default_factory=list)
    # Weekend days declared working days (make-up Saturdays) the package does not know.
    extra_working_days: list[date] = Field(default_factory=list)


class Names(_Frozen):
    """Display names of the account roles and agency kinds, for reminder and escalation texts."""

    roles: dict[AccountRole, Localized]
    agency_kinds: dict[str, Localized]


class DeadlinesFile(_Frozen):
    meta: ReviewMeta = ReviewMeta()
    calendar: CalendarSettings = CalendarSettings()
    names: Names
    # Text of an escalation; may use {what}, {due}, {period}, {assignee}.
    escalation_wording: Localized
    # Marks the `due` reminder sent on the previous working day when a due date is not a working day.
    shifted_note: Localized
    deadlines: list[Deadline] = Field(min_length=1)


class LoanTarget(_Frozen):
    """At least `minimum` loans per `unit` per calendar year."""

    borrower: Literal["person", "business"]
    minimum: int = Field(ge=1)
    # commune: each commune-level unit; province: the whole province; area: each area listed below.
    unit: Literal["commune", "province", "area"]
    # Named groups of commune codes, when the deployment counts by area (e.g. former districts).
    areas: dict[str, list[str]] = Field(default_factory=dict)
    assignees: list[Assignee] = Field(min_length=1)
    what: Localized
    basis: Basis
    seed: str = ""
    # Set true once the deployment has decided the unit; shown as unconfirmed until then.
    confirmed: bool = False

    @model_validator(mode="after")
    def _areas_for_area_unit(self) -> LoanTarget:
        if self.unit == "area" and not self.areas:
            raise ValueError("unit `area` needs `areas`")
        return self


class TargetsFile(_Frozen):
    meta: ReviewMeta = ReviewMeta()
    year_start: Literal["01-01"] = "01-01"  # calendar year
    # A unit with no demand or no eligible person hands its target to another unit.
    transfer_rule: Localized
    targets: dict[str, LoanTarget] = Field(min_length=1)
