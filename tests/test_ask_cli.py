"""`buocmoi ask` as a process: one result line per input line, JSON keys as in the spec."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "buocmoi"
EVAL = Path(__file__).parent / "data" / "faq_eval.tsv"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), "ask", *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_batch_from_stdin_writes_one_json_line_per_input_line() -> None:
    questions = ["lãi suất bao nhiêu", "vay mua nha tra gop", "", "vay", "an treo co vay dc ko", "   "]
    result = run("--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    for line in lines:
        data = json.loads(line)
        assert set(data) == {"kind", "topic", "lang", "score", "answer", "suggestions"}
        assert data["kind"] in {"answer", "choice", "fallback"}
        assert isinstance(data["score"], int) and 0 <= data["score"] <= 100
        assert data["answer"]
        if data["kind"] == "fallback":
            assert data["topic"] is None and data["suggestions"] == []
        if data["kind"] == "choice":
            assert data["topic"] == data["suggestions"][0] and len(data["suggestions"]) <= 3
    first, second = (json.loads(line) for line in lines[:2])
    assert (first["kind"], first["topic"]) == ("answer", "interest")
    assert "6,6%" in first["answer"]
    assert second["kind"] == "fallback"


def test_single_question_prints_the_answer_text_in_the_chosen_language() -> None:
    result = run("--lang", "en", "lai", "suat", "bn")
    assert result.returncode == 0, result.stderr
    assert "6.6%" in result.stdout and "130%" in result.stdout
    khmer = run("--lang", "km", "--json", "lai suat bn")
    assert "អត្រាការប្រាក់" in json.loads(khmer.stdout)["answer"]


def test_plain_batch_keeps_one_line_per_question() -> None:
    result = run(stdin="lai suat bn\nvay mua nha\n")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


def test_evaluate_prints_the_figures() -> None:
    result = run("--evaluate", str(EVAL))
    assert result.returncode == 0, result.stderr
    assert "in scope:" in result.stdout and "out of scope:" in result.stdout
