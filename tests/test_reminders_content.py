"""Reminder wording as content: follow-ups must be discreet, placeholders known, deadline ids short
enough for the "done" button's 64-byte callback data."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.catalog import check_content, get_content
from content.deadlines.recurrence import period_label
from content.discreet import forbidden_words_in
from content.source import PACKAGED_CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, target)
    return target


def _edit(root: Path, relpath: str, change: Any) -> None:
    path = root / relpath
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_packaged_reminder_words() -> None:
    words = get_content().reminders
    assert words.working_hours.start.hour == 8 and words.catch_up_days == 7
    assert "after_release" in words.followups
    longest = max(len(d.id) for d in get_content().deadlines.deadlines)
    assert len(f"rm|{'x' * longest}|{period_label('quarter', date(2027, 1, 1))}|done".encode()) <= 64


def test_a_follow_up_naming_prison_is_refused(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["followups"]["after_release"]["vi"] = "Bước Mới: bạn đã ra tù, bấm /start."
        data["late_accounts"]["en"] = "Late: {names} {who}"

    _edit(content_copy, "reminders.yaml", change)
    _, problems = check_content(content_copy)
    places = {(p.file, p.place): p.message for p in problems}
    assert "'tù'" in places[("reminders.yaml", "followups.after_release.vi")]
    assert "['who']" in places[("reminders.yaml", "late_accounts.en")]


def test_a_deadline_id_too_long_for_the_done_button_is_refused(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["deadlines"][0]["id"] = "a_very_long_obligation_identifier_over_forty"

    _edit(content_copy, "deadlines.yaml", change)
    _, problems = check_content(content_copy)
    assert any(p.file == "deadlines.yaml" and "at most 40" in p.message for p in problems)


def test_a_declined_person_is_told_why_and_what_would_change_it() -> None:
    leads = get_content().leads
    declined = leads.person_updates["declined"]
    assert all(
        "{reason}" in declined.get(lang) and "{remedy}" in declined.get(lang) for lang in ("vi", "en", "km")
    )
    for reason in leads.decline_reasons:
        for lang in ("vi", "en", "km"):
            assert forbidden_words_in(reason.remedy.get(lang)) == [], (reason.id, lang)


def test_a_remedy_naming_the_police_is_refused(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["decline_reasons"][0]["remedy"]["vi"] = "Hãy hỏi công an xã."

    _edit(content_copy, "leads.yaml", change)
    _, problems = check_content(content_copy)
    assert [(p.file, p.place) for p in problems] == [("leads.yaml", "decline_reasons.0.remedy.vi")]
