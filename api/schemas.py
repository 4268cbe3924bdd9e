"""Request and response bodies of the HTTP API (separate from the tables on purpose)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from api.sheets import CONTROL_CHARACTERS
from api.wards import normalise_code, ward_exists
from content.localized import Lang
from content.vn_phone import normalise_business_phone, normalise_mobile

T = TypeVar("T")

# Row ids are 64-bit signed integers in both databases: a larger number is no id (422, not a 500
# from the driver).
MAX_ROW_ID = 2**63 - 1
RowIdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

# Limits on what one referral may carry: screening answers are a few short scalars; anything far
# larger is a mistake or an attack, and would be stored and copied into every export and event.
MAX_ANSWERS = 40
MAX_ANSWER_KEY = 64
MAX_ANSWER_TEXT = 200


def refuse_control_characters(value: str) -> str:
    """Text people type never holds control characters (ESC, BEL, NUL...): they break exports and
    logs, and PostgreSQL cannot store NUL at all. Tab and line breaks are allowed (and folded by
    the callers that want one line)."""
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters")
    return value


def check_answers(answers: dict[str, Any]) -> dict[str, Any]:
    if len(answers) > MAX_ANSWERS:
        raise ValueError(f"at most {MAX_ANSWERS} answers")
    for key, value in answers.items():
        if len(key) > MAX_ANSWER_KEY:
            raise ValueError(f"an answer id is at most {MAX_ANSWER_KEY} characters")
        refuse_control_characters(key)
        if isinstance(value, str):
            if len(value) > MAX_ANSWER_TEXT:
                raise ValueError(f"{key}: at most {MAX_ANSWER_TEXT} characters")
            refuse_control_characters(value)
        elif value is not None and not isinstance(value, bool | int | float):
            raise ValueError(f"{key}: an answer is a text, a number, true/false or null")
    return answers


class ListOf(BaseModel, Generic[T]):
    """Every list answers `{"data": [...], "count": <total>}`."""

    data: list[T]
    count: int


class Contact(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(
        min_length=8,
        max_length=20,
        description="Vietnamese mobile number; a business may give a fixed line (02x…, 11 digits)",
    )
    representative: str | None = Field(
        default=None, max_length=200, description="a business: the person who represents it"
    )
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    gender: Literal["nam", "nu", "khac"] | None = None
    address: str | None = Field(default=None, max_length=300)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(refuse_control_characters(value).split())
        if not value:
            raise ValueError("name must not be blank")
        return value

    @field_validator("address", "representative")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return None if value is None else " ".join(refuse_control_characters(value).split()) or None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        # Whether a fixed line is allowed depends on the applicant: `LeadCreate` checks it.
        phone = normalise_business_phone(value)
        if phone is None:
            raise ValueError(
                "not a Vietnamese phone number (a mobile: 10 digits starting 03, 05, 07, 08 or 09; "
                "a business's fixed line: 11 digits starting 02)"
            )
        return phone


class Consent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # A person's referral needs the police's consent, a business's the bank's (`LeadCreate`).
    police: bool = False
    bank: bool
    text_version: str = Field(min_length=1, max_length=64)
    # Sent by a family member for the person (issue 17): the person's own agreement is still to be
    # confirmed, by the officer on the first phone call. Optional: older clients send neither.
    on_behalf: bool = Field(default=False, description="sent by a family member for the person")


class LeadCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    applicant: Literal["person", "business"]
    answers: dict[str, Any]
    contact: Contact
    commune_code: str = Field(min_length=1, max_length=8)
    consent: Consent
    channel: str = Field(default="api", min_length=1, max_length=16, pattern=r"^[a-z0-9_]+$")
    channel_user: str | None = Field(default=None, max_length=64)
    lang: Lang = "vi"
    idempotency_key: str = Field(min_length=1, max_length=128)

    @field_validator("answers")
    @classmethod
    def _answers(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_answers(value)

    @field_validator("channel_user", "idempotency_key")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        return None if value is None else refuse_control_characters(value)

    @field_validator("commune_code")
    @classmethod
    def _known_commune(cls, value: str) -> str:
        if not ward_exists(value):
            raise ValueError("unknown commune code (use the official ward code)")
        return normalise_code(value)

    @model_validator(mode="after")
    def _applicant_rules(self) -> LeadCreate:
        """A person: police consent (the commune list) and a mobile. A business: bank consent
        (NHCSXH lends to it directly; `commune_code` is where its plan is carried out), and a mobile
        or its fixed line."""
        if self.applicant == "business":
            if not self.consent.bank:
                _refuse(("consent", "bank"), "a business's referral goes to the bank and needs its consent")
        else:
            if not self.consent.police:
                _refuse(("consent", "police"), "consent to share with the commune police is required")
            if normalise_mobile(self.contact.phone) is None:
                _refuse(
                    ("contact", "phone"),
                    "not a Vietnamese mobile number (10 digits starting 03, 05, 07, 08 or 09); "
                    "a fixed line is only for a business",
                )
        return self


def _refuse(loc: tuple[str, ...], message: str) -> None:
    """A cross-field rule's error, reported at the field it is about (as a field's own would be)."""
    error = InitErrorDetails(type=PydanticCustomError("value_error", message), loc=loc, input=None)
    raise ValidationError.from_exception_data("LeadCreate", [error])


class ContactPublic(BaseModel):
    name: str | None
    phone: str | None
    birth_year: int | None = None
    gender: str | None = None
    address: str | None = None
    representative: str | None = None


class LeadPublic(BaseModel):
    id: str
    reference: str
    status: str
    applicant: str
    commune_code: str
    commune_name: str | None
    outcome: str
    screening: dict[str, Any]
    answers: dict[str, Any]
    contact: ContactPublic | None
    consent: dict[str, Any]
    channel: str
    lang: str
    next_statuses: list[str]
    decline_reason: str | None
    created_at: datetime
    updated_at: datetime
    anonymised: bool
    approved_amount: int | None = Field(default=None, description="the bank's approved amount, in đồng")
    disbursed_amount: int | None = Field(default=None, description="the amount paid out, in đồng")
    disbursed_on: date | None = Field(default=None, description="the day the money was paid out")
    on_behalf: bool = Field(default=False, description="sent by a family member for the person")
    consent_pending: bool = Field(
        default=False, description="the person's own agreement is to be confirmed by the officer's first call"
    )


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
