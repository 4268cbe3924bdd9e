"""Signing in to the console gives back its database connection on the thread that used it (the
rule of api/sessions.py): the request's session is never left open for the event loop to close."""

from __future__ import annotations

import logging

import pytest

from api.roles import Role
from tests.console_harness import running_console, sign_in
from tests.harness import COMMUNE_A


def test_signing_in_leaves_no_session_open(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with running_console(database_url) as api:
        officer = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))
        link = api.login_link(officer)
        with caplog.at_level(logging.WARNING, logger="api.deps"):
            client = sign_in(api, link)
            assert client.get("/console/").status_code == 200
    assert "still open" not in caplog.text
