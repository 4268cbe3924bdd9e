"""`buocmoi content check`: validate every content file and report each problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from content.catalog import check_content
from content.problems import report


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("content", help="work with the content files")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate every content file")
    check.add_argument("--dir", type=Path, default=None, help="content folder (default: packaged)")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    content, problems = check_content(args.dir)
    if problems or content is None:
        print(report(problems), file=sys.stderr)
        return 1
    print("content OK")
    return 0
