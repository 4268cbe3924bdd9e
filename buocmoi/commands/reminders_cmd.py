"""`buocmoi reminders plan`: the reminders the content's deadlines give for a window of days,
computed without sending anything (spec/interfaces.md, Reminders)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

from content.catalog import get_content
from content.deadlines import Reminder, plan
from content.problems import ContentError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("reminders", help="agency deadline reminders")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    plan_parser = actions.add_parser(
        "plan", help="list the reminders whose send day falls in a window (sends nothing)"
    )
    plan_parser.add_argument("--from", dest="start", required=True, type=iso_date, metavar="YYYY-MM-DD")
    plan_parser.add_argument("--to", dest="end", required=True, type=iso_date, metavar="YYYY-MM-DD")
    plan_parser.add_argument("--json", action="store_true", help="one JSON object per line")
    plan_parser.add_argument("--dir", type=Path, default=None, help="content folder (default: packaged)")
    plan_parser.set_defaults(func=run_plan, parser=plan_parser)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(text: str) -> date:
    try:
        if not _ISO_DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def run_plan(args: argparse.Namespace) -> int:
    if args.end < args.start:
        args.parser.error(f"--to {args.end.isoformat()} is before --from {args.start.isoformat()}")
    try:
        content = get_content(args.dir)
    except ContentError as err:
        print(err, file=sys.stderr)
        return 1
    reminders = plan(content.deadlines, args.start, args.end)
    try:
        if args.json:
            for reminder in reminders:
                print(json.dumps(reminder.to_json(), ensure_ascii=False))
        else:
            print(table(reminders))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


_HEADERS = ("send_on", "due", "kind", "deadline", "to", "period", "note")


def table(reminders: list[Reminder]) -> str:
    rows = [_HEADERS, *(_row(r) for r in reminders)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.append(f"{len(reminders)} reminder(s)")
    return "\n".join(lines)


def _row(reminder: Reminder) -> tuple[str, ...]:
    to = reminder.role + (f":{reminder.agency_kind}" if reminder.agency_kind else "")
    if reminder.kind == "before":
        note = f"{reminder.lead_days} days before"
    elif reminder.shifted:
        note = "due day is not a working day"
    elif reminder.kind == "escalation":
        note = (
            "about "
            + (reminder.about_role or "")
            + (f":{reminder.about_agency_kind}" if reminder.about_agency_kind else "")
        )
    else:
        note = ""
    return (
        reminder.send_on.isoformat(),
        reminder.due.isoformat(),
        reminder.kind,
        reminder.deadline_id,
        to,
        reminder.period,
        note,
    )
