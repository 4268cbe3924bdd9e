"""The bodies of referrals ("leads") as the bot sends and reads them: create (`LeadCreate` ->
`LeadPublic`), read one, list a person's own (`ListOf[LeadPublic]`). The API validates with the
same models, so a body the bot builds is checked the same way on both sides."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from content.communes.official import ward
from content.localized import Lang
from content.vn_phone import normalise_business_phone, normalise_mobile
from contract.text import check_answers, refuse_control_characters

T = TypeVar("T")


def normalise_code(code: str) -> str:
    """Ward codes are five digits; "4" and "00004" are the same ward."""
    stripped = code.strip()
    return stripped.zfill(5) if stripped.isdigit() else stripped


def ward_exists(code: str) -> bool:
    return ward(code) is not None


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
    # Optional (None) so that an answer from an API without it still reads; readers fall back to
    # `created_at`, which it equals until the referral is transferred.
    assigned_at: datetime | None = Field(
        default=None,
        description="when the referral reached its present commune (sent, or transferred there): the "
        "commune's working days to receive it count from here",
    )
