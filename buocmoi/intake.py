"""The token the built-in bot uses to call the API as an `intake` account.

A deployment sets BUOCMOI_INTAKE_TOKEN (made with `buocmoi accounts create --role intake`). Without
it, `serve` keeps one in `var/intake.token` (readable by the service user only), creating the account
on first start, so the embedded default needs no set-up."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.roles import Role
from api.services.accounts import account_by_token, create_account

TOKEN_FILE = Path("var") / "intake.token"


def intake_token(engine: Engine, token_file: Path = TOKEN_FILE) -> str:
    configured = os.environ.get("BUOCMOI_INTAKE_TOKEN", "").strip()
    with Session(engine) as session:
        if configured:
            if account_by_token(session, configured) is None:
                raise ValueError("setting BUOCMOI_INTAKE_TOKEN: no active account has this token")
            return configured
        if token_file.exists():
            saved = token_file.read_text(encoding="utf-8").strip()
            if saved and account_by_token(session, saved) is not None:
                return saved
        _, token = create_account(session, name="Bước Mới bot (built-in)", role=Role.INTAKE, via="serve")
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.touch(mode=0o600, exist_ok=True)
    token_file.write_text(token + "\n", encoding="utf-8")
    return token
