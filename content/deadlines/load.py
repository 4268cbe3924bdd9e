"""Load `deadlines.yaml` and `targets.yaml`, with the checks a schema alone cannot make."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from content.deadlines.book import DeadlineBook
from content.deadlines.recurrence import RuleError, due_dates, parse_rule, period_label
from content.deadlines.schema import Assignee, Deadline, DeadlinesFile, TargetsFile
from content.deadlines.workdays import WorkingCalendar
from content.localized import Localized, check_placeholders
from content.problems import Problem
from content.source import load_model

DEADLINES_FILE = "deadlines.yaml"
TARGETS_FILE = "targets.yaml"

WORDING_FIELDS = frozenset({"due", "period"})
ESCALATION_FIELDS = frozenset({"what", "due", "period", "assignee"})
_CHECK_YEARS = 3  # occurrences are checked over this many years from each rule's anchor


def load(root: Path, problems: list[Problem]) -> DeadlineBook | None:
    before = len(problems)
    schedule = load_model(root, DEADLINES_FILE, DeadlinesFile, problems)
    targets = load_model(root, TARGETS_FILE, TargetsFile, problems)
    if schedule is None or targets is None:
        return None
    _check_schedule(schedule, problems)
    known_kinds = set(schedule.names.agency_kinds)
    for key, target in targets.targets.items():
        _check_kinds(target.assignees, known_kinds, TARGETS_FILE, f"targets.{key}.assignees", problems)
    if len(problems) > before:
        return None
    return DeadlineBook(schedule=schedule, targets=targets, calendar=WorkingCalendar(schedule.calendar))


def _check_schedule(schedule: DeadlinesFile, problems: list[Problem]) -> None:
    missing = {"commune_police", "bank", "agency", "coordinator"} - set(schedule.names.roles)
    if missing:
        problems.append(Problem(DEADLINES_FILE, "names.roles", f"missing names for {sorted(missing)}"))
    known_kinds = set(schedule.names.agency_kinds)
    _check_fields(schedule.escalation_wording, ESCALATION_FIELDS, "escalation_wording", problems)
    seen: set[str] = set()
    for index, deadline in enumerate(schedule.deadlines):
        place = f"deadlines.{index}"
        if deadline.id in seen:
            problems.append(Problem(DEADLINES_FILE, f"{place}.id", f"duplicate id {deadline.id!r}"))
        seen.add(deadline.id)
        _check_kinds(deadline.assignees, known_kinds, DEADLINES_FILE, f"{place}.assignees", problems)
        _check_kinds([deadline.escalation.to], known_kinds, DEADLINES_FILE, f"{place}.escalation", problems)
        _check_fields(deadline.wording, WORDING_FIELDS, f"{place}.wording", problems)
        _check_rule(deadline, f"{place}.rrule", problems)


def _check_rule(deadline: Deadline, place: str, problems: list[Problem]) -> None:
    try:
        rule = parse_rule(deadline.rrule, deadline.dtstart)
    except RuleError as err:
        problems.append(Problem(DEADLINES_FILE, place, f"{deadline.rrule!r}: {err}"))
        return
    until = date(deadline.dtstart.year + _CHECK_YEARS, 12, 31)
    dues = due_dates(rule, deadline.dtstart, until)
    if not dues:
        problems.append(Problem(DEADLINES_FILE, place, f"{deadline.rrule!r} gives no due date"))
        return
    labels = [period_label(deadline.period, due) for due in dues]
    clashes = sorted({label for label in labels if labels.count(label) > 1})
    if clashes:
        problems.append(
            Problem(
                DEADLINES_FILE,
                place,
                f"{deadline.rrule!r} gives two due dates in one {deadline.period} ({clashes[0]}); "
                "change `period` or the rule",
            )
        )


def _check_kinds(
    assignees: Iterable[Assignee], known: set[str], file: str, place: str, problems: list[Problem]
) -> None:
    for index, assignee in enumerate(assignees):
        if assignee.agency_kind is not None and assignee.agency_kind not in known:
            problems.append(
                Problem(
                    file,
                    f"{place}.{index}.agency_kind",
                    f"unknown agency kind {assignee.agency_kind!r} (declare it in "
                    f"{DEADLINES_FILE} names.agency_kinds)",
                )
            )


def _check_fields(text: Localized, allowed: frozenset[str], place: str, problems: list[Problem]) -> None:
    check_placeholders(text, allowed, DEADLINES_FILE, place, problems)
