"""`buocmoi communes resolve [--json] [TEXT]`: which 2025 commune/ward a person means.

With TEXT, one result; without, one result line per line of standard input (nothing else on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys

from content.communes import Candidate, resolve


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("communes", help="communes and wards (2025 structure)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    resolve_parser = actions.add_parser(
        "resolve", help="find the 2025 commune/ward meant by a new name or an old address"
    )
    resolve_parser.add_argument("--json", action="store_true", help="one JSON object per line")
    resolve_parser.add_argument(
        "text", nargs="*", metavar="TEXT", help="the name or address (default: stdin)"
    )
    resolve_parser.set_defaults(func=run_resolve)


def format_line(candidates: list[Candidate], as_json: bool) -> str:
    if as_json:
        payload = {"candidates": [{"code": c.code, "name": c.name} for c in candidates]}
        return json.dumps(payload, ensure_ascii=False)
    if not candidates:
        return "(không tìm thấy / not found)"
    return "; ".join(f"{c.code} {c.name}" for c in candidates)


def run_resolve(args: argparse.Namespace) -> int:
    if args.text:
        print(format_line(resolve(" ".join(args.text)), args.json))
        return 0
    for line in sys.stdin:
        print(format_line(resolve(line.rstrip("\r\n")), args.json), flush=True)
    return 0
