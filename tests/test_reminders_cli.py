"""`buocmoi reminders plan` as a separate process, as operators and scripts run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

from content.source import CONTENT_DIR_ENV


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != CONTENT_DIR_ENV}
    return subprocess.run(
        [sys.executable, "-m", "buocmoi", "reminders", "plan", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_json_lines() -> None:
    result = run("--from", "2027-02-01", "--to", "2027-02-28", "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    for row in rows:
        assert {"deadline_id", "role", "due", "send_on", "kind"} <= row.keys()
        assert row["kind"] in {"before", "due", "escalation"}
        assert "2027-02-01" <= row["send_on"] <= "2027-02-28"
        date.fromisoformat(row["due"])
    keys = [(row["send_on"], row["due"]) for row in rows]
    assert keys == sorted(keys)
    tet = [(r["send_on"], r["kind"], r["shifted"]) for r in rows if r["due"] == "2027-02-05"]
    assert ("2027-02-03", "due", True) in tet
    assert ("2027-02-05", "due", False) not in tet  # Tết eve is a day off


def test_table() -> None:
    result = run("--from", "2027-02-01", "--to", "2027-02-06")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["send_on", "due", "kind", "deadline", "to", "period", "note"]
    assert any(line.startswith("2027-02-03  2027-02-05  due") for line in lines)
    assert lines[-1].endswith("reminder(s)")


def test_bad_dates_exit_2_with_a_message() -> None:
    for args in (
        ["--from", "2027-02-30", "--to", "2027-03-01"],
        ["--from", "5/2/2027", "--to", "2027-03-01"],
    ):
        result = run(*args, "--json")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "is not a date in the form YYYY-MM-DD" in result.stderr
    backwards = run("--from", "2027-03-01", "--to", "2027-02-01")
    assert backwards.returncode == 2
    assert "before --from" in backwards.stderr
