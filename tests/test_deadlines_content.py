"""The deadline data files: what the packaged data says, and the problems a bad edit reports."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.catalog import check_content, get_content
from content.problems import Problem
from content.source import PACKAGED_CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, root)
    return root


def edit(root: Path, relpath: str, change: Callable[[Any], object]) -> None:
    path = root / relpath
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def problems_after(root: Path) -> list[Problem]:
    content, problems = check_content(root)
    assert content is None
    return problems


def test_packaged_deadlines_follow_the_spec() -> None:
    book = get_content().deadlines
    roles = {d.id: {(a.role, a.agency_kind) for a in d.assignees} for d in book.deadlines}
    assert roles["monthly_list"] == {("commune_police", None)}
    assert roles["quarterly_media"] == {("agency", "department_culture")}  # press: Sở VHTT&DL (facts §8)
    assert roles["inspections"] == {("agency", "department_home_affairs")}
    assert roles["budget_proposal"] == {
        ("agency", "commune_committee"),
        ("agency", "department_finance"),
        ("bank", None),
    }
    assert ("agency", "commune_committee") in roles["half_year_report"]
    assert roles["half_year_report"] == roles["annual_report"]
    assert {d.escalation.to.role for d in book.deadlines} == {"coordinator"}
    monthly = book.deadline("monthly_list")
    assert monthly.rrule == "FREQ=MONTHLY;BYMONTHDAY=5"
    assert "NOT from Decision 22" in monthly.basis.note  # the 5th comes from the provincial plan
    assert "ngày 05 hằng tháng" in monthly.basis.quote
    for deadline in book.deadlines:  # every obligation was mapped from a body of the 2024 plan
        assert deadline.seed, deadline.id
        assert deadline.basis.section
    assert book.schedule.meta.km_review == "pending"


def test_packaged_targets() -> None:
    targets = get_content().deadlines.targets
    person = targets.targets["person_loans"]
    assert (person.borrower, person.minimum, person.unit) == ("person", 1, "commune")
    business = targets.targets["business_loans"]
    assert business.borrower == "business" and business.minimum == 1
    assert not business.confirmed  # the unit replaces the abolished district: the deployment decides
    assert not person.confirmed  # only the old Sóc Trăng draft plan set it (issue 17)
    assert "chuyển chỉ tiêu" in targets.transfer_rule.vi


@pytest.mark.parametrize(
    ("rrule", "message"),
    [
        ("FREQ=MONTLY;BYMONTHDAY=5", "not a valid RRULE"),
        ("BYMONTHDAY=5", "not a valid RRULE"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "gives no due date"),
        ("FREQ=HOURLY", "finer than daily"),
        ("FREQ=MONTHLY;BYMONTHDAY=5;BYMONTHDAY=6\nDTSTART:20240101", "without DTSTART"),
        ("FREQ=WEEKLY;BYDAY=MO", "two due dates in one month"),
    ],
)
def test_bad_rrule_names_file_and_field(content_copy: Path, rrule: str, message: str) -> None:
    edit(content_copy, "deadlines.yaml", lambda data: data["deadlines"][0].update(rrule=rrule))
    problems = problems_after(content_copy)
    assert [(p.file, p.place) for p in problems] == [("deadlines.yaml", "deadlines.0.rrule")]
    assert message in problems[0].message


def test_unknown_agency_kind_and_placeholder(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["deadlines"][1]["assignees"][0]["agency_kind"] = "department_labour"
        data["deadlines"][0]["wording"]["en"] = "Reminder: by {due} for {commune}."

    edit(content_copy, "deadlines.yaml", change)
    found = {(p.file, p.place) for p in problems_after(content_copy)}
    assert found == {
        ("deadlines.yaml", "deadlines.1.assignees.0.agency_kind"),
        ("deadlines.yaml", "deadlines.2.assignees.0.agency_kind"),  # the same YAML anchor
        ("deadlines.yaml", "deadlines.0.wording.en"),
    }


def test_agency_role_needs_a_kind_and_ids_are_unique(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["deadlines"][0]["assignees"] = [{"role": "agency"}]

    edit(content_copy, "deadlines.yaml", change)
    problems = problems_after(content_copy)
    assert [p.place for p in problems] == ["deadlines.0.assignees.0"]
    assert "agency_kind" in problems[0].message

    shutil.copy(PACKAGED_CONTENT_DIR / "deadlines.yaml", content_copy / "deadlines.yaml")
    edit(content_copy, "deadlines.yaml", lambda data: data["deadlines"][1].update(id="monthly_list"))
    assert [(p.place, p.message) for p in problems_after(content_copy)] == [
        ("deadlines.1.id", "duplicate id 'monthly_list'")
    ]


def test_targets_file_problems(content_copy: Path) -> None:
    edit(content_copy, "targets.yaml", lambda data: data["targets"]["business_loans"].update(unit="area"))
    problems = problems_after(content_copy)
    assert [(p.file, p.place) for p in problems] == [("targets.yaml", "targets.business_loans")]
    (content_copy / "targets.yaml").unlink()
    assert [(p.file, p.message) for p in problems_after(content_copy)] == [
        ("targets.yaml", "file is missing")
    ]
