"""Decline reasons as content: each has the person's wording and a remedy, both discreet; the
person's declined update must carry {reason} and {remedy}."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.catalog import check_content, get_content
from content.discreet import forbidden_words_in
from content.source import PACKAGED_CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, target)
    return target


def _edit(root: Path, change: Any) -> None:
    path = root / "leads.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_reason_speaks_to_the_person_discreetly_in_every_language() -> None:
    leads = get_content().leads
    assert leads.status_labels["declined"].vi == "Không tiếp nhận"  # neutral: the reason says why
    for reason in leads.decline_reasons:
        for lang in ("vi", "en", "km"):
            assert reason.person.get(lang) and reason.remedy.get(lang), (reason.id, lang)
            assert forbidden_words_in(reason.person.get(lang)) == [], (reason.id, lang)
    assert leads.decline_reason("unreachable").id == "unreachable"
    assert leads.decline_reason("gone_from_the_content").id == "other"


def test_a_person_reason_naming_a_forbidden_word_is_refused(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["decline_reasons"][0]["person"]["vi"] = "hồ sơ công an chưa xác nhận"

    _edit(content_copy, change)
    _, problems = check_content(content_copy)
    assert [(p.file, p.place) for p in problems] == [("leads.yaml", "decline_reasons.0.person.vi")]


def test_a_declined_update_without_the_remedy_is_refused(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["person_updates"]["declined"]["en"] = "Request {reference} was not accepted: {reason}."

    _edit(content_copy, change)
    _, problems = check_content(content_copy)
    assert [(p.file, p.place) for p in problems] == [("leads.yaml", "person_updates.declined.en")]
    assert "{remedy}" in problems[0].message


def test_an_unknown_placeholder_in_an_update_is_refused(content_copy: Path) -> None:
    def change(data: Any) -> None:
        data["person_updates"]["received"]["vi"] = "Yêu cầu {reference} của {name} đã được tiếp nhận."

    _edit(content_copy, change)
    _, problems = check_content(content_copy)
    assert [(p.file, p.place) for p in problems] == [("leads.yaml", "person_updates.received.vi")]
