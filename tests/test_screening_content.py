"""The screening content: every reason explained in vi, en and km with its legal basis, and the
content check reporting what is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from content.catalog import check_content
from content.localized import LANGS
from content.screening import ids
from content.source import PACKAGED_CONTENT_DIR
from tests.screening_cases import screening

FILE = "screening.yaml"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT_DIR, target)
    return target


def _edit(root: Path, old: str, new: str) -> None:
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_reason_and_note_is_explained_with_its_basis_in_every_language() -> None:
    content = screening()
    for rule_id in ids.RULES:
        rule = content.rule_any(rule_id)
        assert rule is not None, rule_id
        for lang in LANGS:
            assert rule.explanation.get(lang) and rule.remedy.get(lang)
            basis = rule.basis.get(lang)
            assert "22/2023/QĐ-TTg" in basis, (rule_id, lang)


def test_unsure_rules_say_so() -> None:
    content = screening()
    unsure = {r.id for r in content.rules if r.confidence != "high"}
    assert {
        "status_not_covered",
        "conditional_release_unconfirmed",
        "conditional_release_probation",
    } <= unsure
    for rule in content.rules:
        if rule.confidence != "high":
            assert rule.caveat is not None
            assert "Ngân hàng Chính sách xã hội" in rule.caveat.vi


def test_disclaimer_names_who_decides() -> None:
    disclaimer = screening().disclaimer
    assert "Ngân hàng Chính sách xã hội" in disclaimer.vi and "Công an xã" in disclaimer.vi


def test_missing_explanation_is_reported(content_copy: Path) -> None:
    _edit(content_copy, "  - id: certificate_unknown\n", "  - id: certificate_unknown_renamed\n")
    _, problems = check_content(content_copy)
    places = {(p.file, p.place) for p in problems}
    assert (FILE, "rules.certificate_unknown") in places
    assert (FILE, "rules.certificate_unknown_renamed") in places


def test_missing_language_is_reported(content_copy: Path) -> None:
    _edit(
        content_copy,
        "      km: ក្រោយពេលសងបំណុលនោះរួចរាល់ អ្នកអាចពិនិត្យម្តងទៀត។\n",
        "",
    )
    _, problems = check_content(content_copy)
    assert [p.file for p in problems] == [FILE]
    assert problems[0].place.endswith("remedy.km")


def test_missing_basis_is_reported(content_copy: Path) -> None:
    _edit(
        content_copy,
        "    basis:\n      vi: Quyết định 22/2023/QĐ-TTg, Điều 10\n"
        "      en: Decision 22/2023/QĐ-TTg, Article 10\n"
        "      km: សេចក្តីសម្រេចលេខ 22/2023/QĐ-TTg មាត្រា 10\n",
        "",
    )
    _, problems = check_content(content_copy)
    assert any(p.place.endswith("basis") for p in problems), problems


def test_unsure_rule_without_caveat_is_reported(content_copy: Path) -> None:
    _edit(content_copy, "    kind: fail\n    confidence: high\n", "    kind: fail\n    confidence: medium\n")
    _, problems = check_content(content_copy)
    assert any("caveat" in p.message for p in problems), problems


def test_unknown_placeholder_is_reported(content_copy: Path) -> None:
    _edit(content_copy, "{min_percent}% tổng số", "{min_pct}% tổng số")
    _, problems = check_content(content_copy)
    assert [(p.place, p.message) for p in problems] == [
        ("rules.released_share_below_10pct.explanation.vi", "unknown placeholder(s): min_pct")
    ]


def test_missing_choice_is_reported(content_copy: Path) -> None:
    _edit(content_copy, "      - id: cooperative_group\n", "      - id: cooperative_team\n")
    _, problems = check_content(content_copy)
    assert [(p.place, p.message) for p in problems] == [
        ("questions.business_type.choices", "missing choices: cooperative_group")
    ]


def test_overlapping_versions_are_reported(content_copy: Path) -> None:
    _edit(
        content_copy,
        "caps:\n",
        "caps:\n  - id: person_training\n    applicant: person\n    purpose: training\n    amount: 5000000\n"
        "    per: month\n    confidence: high\n    basis: {vi: a, en: b, km: c}\n"
        "    effective_from: 2030-01-01\n    explanation: {vi: a, en: b, km: c}\n",
    )
    _, problems = check_content(content_copy)
    assert [(p.place, p.message) for p in problems] == [
        ("caps.person_training", "two versions are in force on the same day")
    ]
