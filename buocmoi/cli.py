"""`buocmoi` command line: parses arguments and hands over to one command module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from buocmoi.logs import configure_logging

# Command name -> module. A command's module is imported only when that command runs (or for
# --help), so a long-running `serve` does not carry every other command's imports in memory.
COMMANDS = {
    "serve": "serve_cmd",
    "db": "db_cmd",
    "accounts": "accounts_cmd",
    "content": "content_cmd",
    "screen": "screen_cmd",
    "reminders": "reminders_cmd",
    "communes": "communes_cmd",
    "ask": "ask_cmd",
    "chat": "chat_cmd",
    "outreach": "outreach_cmd",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buocmoi",
        description="Bước Mới: credit under Decision 22/2023/QĐ-TTg — chat assistant and referral API.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = [only] if only in COMMANDS else list(COMMANDS)
    for name in names:
        module = importlib.import_module(f"buocmoi.commands.{COMMANDS[name]}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    arguments = list(sys.argv[1:] if argv is None else argv)
    first = arguments[0] if arguments else None
    parser = build_parser(only=first)
    args = parser.parse_args(arguments)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
