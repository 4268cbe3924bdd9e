"""`buocmoi screen` through a real subprocess: one line out per line in, the spec's examples exactly."""

from __future__ import annotations

import json

from tests.cli import run_cli
from tests.screening_cases import BUSINESS, PERSON

SPEC_INPUT = (
    '{"applicant": "person", "release_status": "completed", "has_certificate": "yes", "release_date": '
    '"2025-01", "purpose": "production", "amount": 50000000, "same_purpose_debt": "no", '
    '"as_of": "2026-11-24"}\n'
    '{"applicant": "business", "business_type": "sme", "lawfully_operating": "yes", "total_workers": 20, '
    '"released_workers": 2, "amount": 300000000, "same_purpose_debt": "no", "as_of": "2026-11-24"}\n'
)
SPEC_OUTPUT = [
    {"outcome": "likely_eligible", "reasons": [], "notes": [], "max_amount": 100000000},
    {"outcome": "likely_eligible", "reasons": [], "notes": ["collateral_required"], "max_amount": 2000000000},
]
FIXED_KEYS = ["outcome", "reasons", "notes", "max_amount"]


def test_spec_examples_exactly() -> None:
    result = run_cli("screen", "--json", stdin=SPEC_INPUT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line, expected in zip(lines, SPEC_OUTPUT, strict=True):
        data = json.loads(line)
        assert list(data)[:4] == FIXED_KEYS
        assert {key: data[key] for key in FIXED_KEYS} == expected
        assert "Ngân hàng Chính sách xã hội" in data["disclaimer"]


def test_bad_lines_give_errors_in_the_chosen_language_and_the_run_goes_on() -> None:
    bad_status = json.dumps({**PERSON, "release_status": "done"})
    bad_workers = json.dumps({**BUSINESS, "released_workers": 25})
    stdin = "\n".join([bad_status, "not json", "", "[1, 2]", json.dumps(PERSON), bad_workers]) + "\n"
    expected = {
        "vi": [
            "release_status (tình trạng thi hành án)",
            "JSON",
            "Dòng trống",
            "JSON",
            None,
            "released_workers",
        ],
        "en": [
            "release_status (release status)",
            "not valid JSON",
            "empty",
            "one JSON object",
            None,
            "more than",
        ],
        "km": ["release_status (ស្ថានភាពនៃការអនុវត្តទោស)", "JSON", "បន្ទាត់ទទេ", "JSON", None, "ច្រើនជាង"],
    }
    for lang, fragments in expected.items():
        result = run_cli("screen", "--json", "--lang", lang, stdin=stdin)
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(lines) == 6
        for data, fragment in zip(lines, fragments, strict=True):
            if fragment is None:
                assert data["outcome"] == "likely_eligible"
            else:
                assert list(data) == ["error"] and fragment in data["error"], (lang, data)


def test_human_readable_is_one_line_per_input_line() -> None:
    stdin = SPEC_INPUT + "oops\n" + json.dumps({**PERSON, "purpose": "other"}) + "\n"
    result = run_cli("screen", "--lang", "vi", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("Có khả năng đủ điều kiện")
    assert "JSON" in lines[2]
    assert lines[3].startswith("Chưa đủ điều kiện") and "Điều 1 và Điều 5" in lines[3]
    english = run_cli("screen", "--lang", "en", stdin=SPEC_INPUT)
    assert english.stdout.splitlines()[1].startswith("Likely eligible")


def test_windows_line_endings_and_no_trailing_newline() -> None:
    stdin = SPEC_INPUT.replace("\n", "\r\n").rstrip("\r\n")
    result = run_cli("screen", "--json", stdin=stdin)
    assert [json.loads(line)["outcome"] for line in result.stdout.splitlines()] == ["likely_eligible"] * 2
