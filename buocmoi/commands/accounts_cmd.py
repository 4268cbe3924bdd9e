"""`buocmoi accounts create|revoke|link-code|login-link`: manage API accounts from the command line."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from api.core.config import ApiSettings
from api.core.db import make_engine
from api.models import Account
from api.roles import Role
from api.services import accounts
from buocmoi.settings import SettingsError, load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("accounts", help="manage API accounts")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an account and print its token once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument(
        "--commune",
        action="append",
        default=[],
        metavar="CODE",
        help="official ward code (repeat for a bank office serving several)",
    )
    create.add_argument("--name", required=True)
    create.add_argument("--agency-kind", default=None, help="for agency accounts: which body")
    create.set_defaults(func=run_create)
    revoke = actions.add_parser("revoke", help="revoke an account's token")
    revoke.add_argument("account_id", type=int)
    revoke.set_defaults(func=run_revoke)
    link = actions.add_parser("link-code", help="issue a one-time code to link a Telegram chat")
    link.add_argument("account_id", type=int)
    link.set_defaults(func=run_link_code)
    login = actions.add_parser(
        "login-link", help="print a one-time sign-in link to the staff console (15 minutes, once)"
    )
    login.add_argument("account_id", type=int)
    login.set_defaults(func=run_login_link)


def _session() -> Session:
    settings = load_settings(ApiSettings)
    return Session(make_engine(settings.database_url))


def run_create(args: argparse.Namespace) -> int:
    try:
        with _session() as session:
            account, token = accounts.create_account(
                session,
                name=args.name,
                role=Role(args.role),
                communes=args.commune,
                agency_kind=args.agency_kind,
                via="cli",
            )
            print(f"Account {account.id} ({account.role}) created: {account.name}")
            if not token:  # a console-only role (intake_officer): no API token at all
                print(f"no API token (console only): sign in with `buocmoi accounts login-link {account.id}`")
                return 0
            print("the token is shown once; keep it secret:")
            print(token)
    except (SettingsError, accounts.AccountError) as err:
        print(f"buocmoi accounts create: {err}", file=sys.stderr)
        return 2
    except SQLAlchemyError as err:
        print(
            f"buocmoi accounts create: database error ({type(err).__name__}); "
            "has `buocmoi db upgrade` been run?",
            file=sys.stderr,
        )
        return 1
    return 0


def _find(session: Session, account_id: int) -> Account | None:
    return session.exec(select(Account).where(Account.id == account_id)).first()


def run_revoke(args: argparse.Namespace) -> int:
    try:
        with _session() as session:
            account = _find(session, args.account_id)
            if account is None:
                print(f"no account {args.account_id}", file=sys.stderr)
                return 2
            if not account.active:
                print(f"account {args.account_id} was already revoked")
                return 0
            accounts.revoke(session, account, via="cli")
            print(f"account {args.account_id} revoked")
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    return 0


def run_link_code(args: argparse.Namespace) -> int:
    try:
        with _session() as session:
            account = _find(session, args.account_id)
            if account is None or not account.active:
                print(f"no active account {args.account_id}", file=sys.stderr)
                return 2
            if not accounts.may_link(account):
                print(f"a {account.role} account has no chat to link: nothing is sent to it", file=sys.stderr)
                return 2
            code = accounts.issue_link_code(session, account)
            print(f"send this to the bot within 7 days: /canbo {code}")
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    return 0


def run_login_link(args: argparse.Namespace) -> int:
    # Imported here: only this command needs the console's sign-in code.
    from api.console import auth

    try:
        settings = load_settings(ApiSettings)
        with Session(make_engine(settings.database_url)) as session:
            account = _find(session, args.account_id)
            if account is None or not account.active:
                print(f"no active account {args.account_id}", file=sys.stderr)
                return 2
            try:
                url = auth.issue_login_link(session, account, settings.base_url)
            except auth.LoginRefused as err:
                print(f"buocmoi accounts login-link: {err}", file=sys.stderr)
                return 2
            minutes = int(auth.LINK_VALIDITY.total_seconds() // 60)
            print(f"sign-in link for account {account.id} ({account.role}), valid {minutes} minutes, once:")
            # The URL alone on the last line, for scripts.
            print(url)
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    return 0
