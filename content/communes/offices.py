"""Deployment data: which NHCSXH (VBSP) office serves each commune, and whom the bot may name per
commune (its police, its bank office). File: `offices.yaml` in the content folder.

No package holds the NHCSXH network, so nothing here may be invented: each office records its
`source` and whether the deployment has `confirmed` it. Ward codes are checked against the official
2025 list of the deployment's province.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from content.communes.official import province_name, ward
from content.localized import LANGS, Localized, ReviewMeta
from content.problems import Problem
from content.source import load_model

FILE = "offices.yaml"

_PHONE = re.compile(r"^\+?[0-9][0-9 .-]{5,18}[0-9]$")


class Office(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Localized
    address: str | None = None
    phone: str | None = None
    hours: str | None = None  # opening hours as the office gives them (issue 17's contacts card)
    communes: list[str] = Field(min_length=1)  # official 2025 ward codes served
    source: str = Field(min_length=1)  # where this entry comes from
    confirmed: bool = False  # has the deployment confirmed it with the bank?
    note: str = ""

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value.strip()):
            raise ValueError("not a phone number")
        return value


class ContactTemplates(BaseModel):
    """How to name a commune's contacts; `{commune}` is replaced by the commune's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    commune_police: Localized

    @field_validator("commune_police")
    @classmethod
    def _has_placeholder(cls, value: Localized) -> Localized:
        for lang in LANGS:
            if "{commune}" not in value.get(lang):
                raise ValueError(f"{lang} text must contain {{commune}}")
        return value


class Offices(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    contacts: ContactTemplates
    offices: list[Office] = Field(default_factory=list)

    def for_commune(self, code: str) -> list[Office]:
        """Offices listed as serving this commune (several while unconfirmed seeds overlap)."""
        return [office for office in self.offices if code in office.communes]


@dataclass(frozen=True)
class Contact:
    kind: str  # "police" or "bank_office"
    name: str
    address: str | None = None
    phone: str | None = None
    confirmed: bool = True
    hours: str | None = None


def contacts_for(offices: Offices, code: str, lang: str) -> list[Contact]:
    """Whom the bot may name for a commune: its police, then the bank office(s) listed for it."""
    found = ward(code)
    if found is None:
        return []
    commune = found.name
    if lang == "vi" and found.kind:
        commune = found.kind.lower() + found.name[len(found.kind) :]  # "Công an phường Mỹ Xuyên"
    police = offices.contacts.commune_police.get(lang).replace("{commune}", commune)
    contacts = [Contact("police", police)]
    for office in offices.for_commune(found.code):
        contacts.append(
            Contact(
                "bank_office",
                office.name.get(lang),
                office.address,
                office.phone,
                office.confirmed,
                office.hours,
            )
        )
    return contacts


def load(root: Path, problems: list[Problem], province_code: int | None = None) -> Offices | None:
    """Load `offices.yaml`; with `province_code`, every ward code must belong to that province."""
    data = load_model(root, FILE, Offices, problems)
    if data is None:
        return None
    before = len(problems)
    seen_ids: set[str] = set()
    for i, office in enumerate(data.offices):
        if office.id in seen_ids:
            problems.append(Problem(FILE, f"offices.{i}.id", f"duplicate office id '{office.id}'"))
        seen_ids.add(office.id)
        seen_codes: set[str] = set()
        for j, code in enumerate(office.communes):
            place = f"offices.{i}.communes.{j}"
            found = ward(code)
            if found is None or found.code != code:
                problems.append(Problem(FILE, place, f"unknown ward code '{code}'"))
            elif province_code is not None and found.province_code != province_code:
                problems.append(
                    Problem(
                        FILE,
                        place,
                        f"ward {code} ({found.name}) is in {province_name(found.province_code)}, "
                        f"not in the deployment's province {province_code}",
                    )
                )
            if code in seen_codes:
                problems.append(Problem(FILE, place, f"ward code '{code}' listed twice"))
            seen_codes.add(code)
    return data if len(problems) == before else None
