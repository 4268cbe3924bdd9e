"""Request and response bodies of the HTTP API (separate from the tables on purpose)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.wards import normalise_code
from contract.leads import (
    Consent,
    Contact,
    ContactPublic,
    LeadCreate,
    LeadPublic,
    ListOf,
)
from contract.text import (
    MAX_ANSWER_KEY,
    MAX_ANSWER_TEXT,
    MAX_ANSWERS,
    check_answers,
    refuse_control_characters,
)

# The bodies the bot also sends and reads live in contract/ (both sides import them); they are
# named here too so the API's modules find every body in one place.
__all__ = [
    "MAX_ANSWERS",
    "MAX_ANSWER_KEY",
    "MAX_ANSWER_TEXT",
    "MAX_ROW_ID",
    "Consent",
    "Contact",
    "ContactPublic",
    "LeadCreate",
    "LeadEventPublic",
    "LeadPublic",
    "ListOf",
    "Reminded",
    "RowIdPath",
    "StatusChange",
    "Transfer",
    "check_answers",
    "refuse_control_characters",
]

# Row ids are 64-bit signed integers in both databases: a larger number is no id (422, not a 500
# from the driver).
MAX_ROW_ID = 2**63 - 1
RowIdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(min_length=1, max_length=16)
    reason: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=1000)
    amount: int | None = Field(
        default=None,
        ge=1,
        le=10**12,
        description=(
            "đồng: required for `approved` (at most the cap of Decision 22 that applies to the referral) "
            "and for `disbursed` (at most the approved amount)"
        ),
    )
    on_date: date | None = Field(
        default=None,
        description="`disbursed` only: the day the money was paid out (not future, not before approval)",
    )

    @field_validator("status", "reason", "note")
    @classmethod
    def _no_control(cls, value: str | None) -> str | None:
        return None if value is None else refuse_control_characters(value)


class Transfer(BaseModel):
    """The person moved: the referral goes to another commune of the province."""

    model_config = ConfigDict(extra="forbid")

    commune_code: str = Field(min_length=1, max_length=8, description="official 2025 ward code")
    reason: str = Field(min_length=1, max_length=500, description="why (shown in the timeline)")

    @field_validator("commune_code")
    @classmethod
    def _code(cls, value: str) -> str:
        return normalise_code(value)

    @field_validator("reason")
    @classmethod
    def _no_control(cls, value: str) -> str:
        return refuse_control_characters(" ".join(value.split()))


class Reminded(BaseModel):
    chats: int = Field(description="how many officers' linked chats will get the reminder")


class LeadEventPublic(BaseModel):
    at: datetime
    from_status: str | None
    to_status: str
    actor_account_id: int | None
    reason: str | None
    note: str | None
    details: dict[str, Any] | None = None
