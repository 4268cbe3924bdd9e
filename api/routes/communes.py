"""`/api/v1/communes`: find the 2025 commune a person means, and whom to contact there."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from api.deps import ActorDep, SettingsDep
from api.errors import error_responses
from api.schemas import ListOf
from api.sessions import SessionRoute
from content.catalog import get_content
from content.communes.offices import contacts_for
from content.communes.official import ward
from content.communes.resolver import resolve

router = APIRouter(prefix="/communes", tags=["communes"], route_class=SessionRoute)


class CommunePublic(BaseModel):
    code: str
    name: str


class ContactPublic(BaseModel):
    kind: str
    name: str
    address: str | None
    phone: str | None
    confirmed: bool


class CommuneDetail(CommunePublic):
    province_code: int
    contacts: list[ContactPublic]


@router.get("/resolve", response_model=ListOf[CommunePublic], responses=error_responses(401, 422))
def resolve_commune(
    _actor: ActorDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=300, description="what the person typed")],
) -> ListOf[CommunePublic]:
    """Best first: a new name, an old (pre-2025) address, with or without diacritics; an old commune
    split between several new ones gives all of them."""
    found = [CommunePublic(code=c.code, name=c.name) for c in resolve(q, settings.province)]
    return ListOf(data=found, count=len(found))


@router.get("/{code}", response_model=CommuneDetail, responses=error_responses(401, 404, 422))
def commune(
    code: str, _actor: ActorDep, lang: Annotated[Literal["vi", "en", "km"], Query()] = "vi"
) -> CommuneDetail:
    found = ward(code)
    if found is None:
        raise HTTPException(404, "no such commune")
    contacts = [
        ContactPublic(kind=c.kind, name=c.name, address=c.address, phone=c.phone, confirmed=c.confirmed)
        for c in contacts_for(get_content().offices, found.code, lang)
    ]
    return CommuneDetail(
        code=found.code, name=found.name, province_code=found.province_code, contacts=contacts
    )
