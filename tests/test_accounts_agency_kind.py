"""An agency account names one of the agency kinds the deadlines declare (deadlines.yaml
`names.agency_kinds`): a misspelt kind would be created and then never get a reminder, so it is
refused (422 in the API, exit 2 on the command line) with the valid kinds named."""

from __future__ import annotations

from api import migrate
from api.roles import Role
from content.catalog import get_content
from tests.cli import run_cli
from tests.harness import COMMUNE_A, Api


def test_the_api_refuses_an_unknown_agency_kind_and_names_the_valid_ones(api: Api) -> None:
    admin = api.account(Role.ADMIN)
    kinds = sorted(get_content().deadlines.schedule.names.agency_kinds)
    with api.client(admin) as client:
        misspelt = client.post(
            "/api/v1/accounts",
            json={"name": "Sở Lao động", "role": "agency", "agency_kind": "district_labour"},
        )
        assert misspelt.status_code == 422, misspelt.text
        detail = misspelt.text
        assert "district_labour" in detail
        assert all(kind in detail for kind in kinds)
        # A kind on an account that is not an agency means nothing: refused as well.
        police = client.post(
            "/api/v1/accounts",
            json={
                "name": "CA phường",
                "role": "commune_police",
                "communes": [COMMUNE_A],
                "agency_kind": "department_finance",
            },
        )
        assert police.status_code == 422, police.text
        good = client.post(
            "/api/v1/accounts",
            json={"name": "Sở Tài chính", "role": "agency", "agency_kind": "department_finance"},
        )
        assert good.status_code == 201, good.text
        assert good.json()["agency_kind"] == "department_finance"
        names = [a["name"] for a in client.get("/api/v1/accounts").json()]
    assert "Sở Lao động" not in names and "CA phường" not in names


def test_the_command_line_refuses_an_unknown_agency_kind(database_url: str) -> None:
    migrate.upgrade(database_url)
    env = {"DATABASE_URL": database_url}
    bad = run_cli(
        "accounts",
        "create",
        "--role",
        "agency",
        "--name",
        "Sở Lao động",
        "--agency-kind",
        "district_labour",
        env=env,
    )
    assert bad.returncode == 2, bad.stdout
    assert "district_labour" in bad.stderr and "department_home_affairs" in bad.stderr
    assert bad.stdout == ""
    good = run_cli(
        "accounts",
        "create",
        "--role",
        "agency",
        "--name",
        "Sở Nội vụ",
        "--agency-kind",
        "department_home_affairs",
        env=env,
    )
    assert good.returncode == 0, good.stderr
