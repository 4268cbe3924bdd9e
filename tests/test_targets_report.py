"""The yearly targets report over real HTTP: every commune of the province with its count of loans
disbursed that year, the business target at its unit, suggested transfers, and the XLSX."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from api.roles import Role
from content.communes.official import province_wards
from tests.harness import Api, lead_body
from tests.loop_helpers import decision

CODES = [w.code for w in province_wards(92)]
BUSY, OPEN, DECLINED = CODES[0], CODES[1], CODES[2]
BUSINESS_ANSWERS = {
    "business_type": "sme",
    "lawfully_operating": "yes",
    "total_workers": 20,
    "released_workers": 2,
    "amount": 300000000,
    "same_purpose_debt": "no",
}
TO_DISBURSED = [
    ("police", "received"),
    ("police", "listed"),
    ("police", "sent_to_bank"),
    ("bank", "approved"),
    ("bank", "disbursed"),
]
# A business borrows directly: the bank takes every step (issue 18).
BUSINESS_TO_DISBURSED = [
    ("bank", "received"),
    ("bank", "plan_confirmed"),
    ("bank", "approved"),
    ("bank", "disbursed"),
]


def _lead(api: Api, intake: str, key: str, commune: str, **overrides: Any) -> str:
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=lead_body(key, commune=commune, **overrides))
    assert response.status_code == 201, response.text
    lead_id: str = response.json()["id"]
    return lead_id


def _move(api: Api, tokens: dict[str, str], lead_id: str, steps: list[tuple[str, str]]) -> None:
    for who, status in steps:
        with api.client(tokens[who]) as client:
            body = decision(client, lead_id, status)
            if status == "declined":
                body["reason"] = "not_eligible"
            response = client.post(f"/api/v1/leads/{lead_id}/status", json=body)
        assert response.status_code == 200, response.text


def test_targets_report_lists_every_commune_with_its_count(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    coordinator = api.account(Role.COORDINATOR)
    tokens = {}
    for commune in (BUSY, OPEN, DECLINED):
        tokens[f"police{commune}"] = api.account(Role.COMMUNE_POLICE, commune)
        tokens[f"bank{commune}"] = api.account(Role.BANK, commune)

    def steps(commune: str, path: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(f"{who}{commune}", status) for who, status in path]

    for n in range(2):
        _move(api, tokens, _lead(api, intake, f"busy{n}", BUSY), steps(BUSY, TO_DISBURSED))
    business = _lead(api, intake, "biz", BUSY, applicant="business", answers=BUSINESS_ANSWERS)
    _move(api, tokens, business, steps(BUSY, BUSINESS_TO_DISBURSED))
    _move(api, tokens, _lead(api, intake, "open", OPEN), steps(OPEN, [("police", "received")]))
    _move(api, tokens, _lead(api, intake, "no", DECLINED), steps(DECLINED, [("police", "declined")]))

    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    with api.client(coordinator) as client:
        response = client.get("/api/v1/reports/targets", params={"year": year})
        xlsx = client.get("/api/v1/reports/targets", params={"year": year, "format": "xlsx", "lang": "en"})
        following = client.get("/api/v1/reports/targets", params={"year": year + 1}).json()
        assert client.get("/api/v1/reports/targets").status_code == 422
    with api.client(tokens[f"police{BUSY}"]) as client:
        assert client.get("/api/v1/reports/targets", params={"year": year}).status_code == 403
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["province_code"] == 92 and report["province_name"] == "Thành phố Cần Thơ"
    communes = {row["code"]: row for row in report["communes"]}
    assert len(report["communes"]) == 103 and set(communes) == set(CODES)
    assert communes[BUSY] == {
        "code": BUSY,
        "name": communes[BUSY]["name"],
        "requests": 2,
        "disbursed": 2,
        "business_disbursed": 1,
        "minimum": 1,
        "met": True,
    }
    assert (communes[OPEN]["requests"], communes[OPEN]["disbursed"], communes[OPEN]["met"]) == (1, 0, False)
    assert (communes[DECLINED]["requests"], communes[DECLINED]["met"]) == (1, False)
    assert sum(row["disbursed"] for row in report["communes"]) == 2
    assert len(report["without_case"]) == 102 and BUSY not in report["without_case"]
    targets = {t["id"]: t for t in report["targets"]}
    assert (targets["person_loans"]["met_count"], targets["person_loans"]["unit_count"]) == (1, 103)
    business_target = targets["business_loans"]
    assert business_target["unit"] == "province" and business_target["confirmed"] is False
    assert business_target["units"][0]["disbursed"] == 1 and business_target["units"][0]["met"] is True
    # No request at all in 100 communes: the first hands its target to the one commune with more
    # demand than its own target; the others have no receiver yet.
    transfers = report["transfers"]
    assert len(transfers) == 100
    assert {t["from_code"] for t in transfers}.isdisjoint({BUSY, OPEN, DECLINED})
    assert transfers[0]["to_code"] == BUSY
    assert all(t["to_code"] is None for t in transfers[1:])
    assert report["transfer_rule"].startswith("Trường hợp trên địa bàn không có nhu cầu")
    # Next year: nothing yet anywhere.
    assert len(following["communes"]) == 103
    assert all(row["disbursed"] == 0 and row["met"] is False for row in following["communes"])

    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Communes", "Targets", "Suggested transfers"]
    rows = list(book["Communes"].iter_rows(values_only=True))
    assert rows[2] == ("Code", "Commune or ward", "Requests this year", "Loans disbursed", "Minimum", "Met")
    assert len(rows) == 3 + 103
    busy_row = next(row for row in rows if row[0] == BUSY)
    assert busy_row[2:] == (2, 2, 1, "Yes")
