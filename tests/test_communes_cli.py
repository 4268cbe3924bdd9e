"""`buocmoi communes resolve` as a separate process."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buocmoi", "communes", "resolve", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_stdin_batch_gives_one_json_line_per_input_line() -> None:
    lines = ["Mỹ Xuyên", "", "abc xyz", "xa thanh quoi", "P.5 TP Sóc Trăng", "Hà Nội Hoàn Kiếm"]
    result = run("--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0
    out = result.stdout.splitlines()
    assert len(out) == len(lines)
    answers = [json.loads(line) for line in out]
    assert answers[0] == {"candidates": [{"code": "31684", "name": "Phường Mỹ Xuyên"}]}
    assert answers[1] == {"candidates": []}
    assert answers[2] == {"candidates": []}
    assert [c["name"] for c in answers[3]["candidates"]] == ["Xã Thạnh Quới", "Xã Gia Hòa"]
    assert answers[4]["candidates"][0]["code"] == "31507"
    assert answers[5]["candidates"] == [{"code": "00070", "name": "Phường Hoàn Kiếm"}]


def test_text_argument_readable_line() -> None:
    result = run("xã", "Đại", "Tâm,", "Mỹ", "Xuyên")
    assert result.returncode == 0
    assert result.stdout == "31684 Phường Mỹ Xuyên\n"


def test_text_argument_json() -> None:
    result = run("--json", "abc")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"candidates": []}
