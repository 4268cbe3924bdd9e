"""Accuracy of the FAQ matcher on a labelled file (question<TAB>topic id, or "-" for out of scope)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.faq_matcher import FaqMatcher

OUT_OF_SCOPE_LABEL = "-"


@dataclass(frozen=True)
class Case:
    question: str
    expected: str  # topic id, or "-"


@dataclass
class Report:
    in_scope: int = 0
    in_scope_right: int = 0  # right topic first (answer, or choice with it first)
    in_scope_answered: int = 0  # ... and answered without asking
    out_of_scope: int = 0
    out_of_scope_fallback: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # question, expected, got

    @property
    def in_scope_accuracy(self) -> float:
        return self.in_scope_right / self.in_scope if self.in_scope else 1.0

    @property
    def out_of_scope_accuracy(self) -> float:
        return self.out_of_scope_fallback / self.out_of_scope if self.out_of_scope else 1.0

    def summary(self) -> str:
        return "\n".join(
            [
                f"in scope:     {self.in_scope_right}/{self.in_scope} right topic first "
                f"({100 * self.in_scope_accuracy:.1f}%), {self.in_scope_answered} answered directly",
                f"out of scope: {self.out_of_scope_fallback}/{self.out_of_scope} fallback "
                f"({100 * self.out_of_scope_accuracy:.1f}%)",
            ]
        )


def read_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        question, sep, expected = line.rpartition("\t")
        if not sep or not question.strip() or not expected.strip():
            raise ValueError(f"{path}:{number}: expected 'question<TAB>topic id or -'")
        cases.append(Case(question.strip(), expected.strip()))
    return cases


def evaluate(matcher: FaqMatcher, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        match = matcher.match(case.question)
        got = match.topic if match.kind != "fallback" else OUT_OF_SCOPE_LABEL
        if case.expected == OUT_OF_SCOPE_LABEL:
            report.out_of_scope += 1
            right = match.kind == "fallback"
            report.out_of_scope_fallback += right
        else:
            report.in_scope += 1
            right = match.kind != "fallback" and match.topic == case.expected
            report.in_scope_right += right
            report.in_scope_answered += right and match.kind == "answer"
        if not right:
            report.misses.append((case.question, case.expected, f"{match.kind}:{got}"))
    return report
