"""`buocmoi db upgrade`: apply pending migrations to DATABASE_URL."""

from __future__ import annotations

import argparse
import logging
import sys

from sqlalchemy.exc import SQLAlchemyError

from api import migrate
from api.core.config import ApiSettings
from buocmoi.settings import SettingsError, load_settings

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply pending migrations to DATABASE_URL")
    upgrade.add_argument("--revision", default="head")
    upgrade.set_defaults(func=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(ApiSettings)
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    try:
        migrate.upgrade(settings.database_url, args.revision)
    except SQLAlchemyError as err:
        print(
            f"cannot migrate the database: {type(err).__name__}: {err.args[0] if err.args else ''}",
            file=sys.stderr,
        )
        return 1
    log.info("database upgraded", extra={"revision": args.revision})
    return 0
