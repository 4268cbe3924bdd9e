"""`buocmoi` command line: parses arguments and hands over to one command module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from buocmoi.commands import (
    accounts_cmd,
    ask_cmd,
    communes_cmd,
    content_cmd,
    db_cmd,
    reminders_cmd,
    screen_cmd,
    serve_cmd,
)
from buocmoi.logs import configure_logging

COMMANDS = [serve_cmd, db_cmd, accounts_cmd, content_cmd, screen_cmd, reminders_cmd, communes_cmd, ask_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buocmoi",
        description="Bước Mới: credit under Decision 22/2023/QĐ-TTg — chat assistant and referral API.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
