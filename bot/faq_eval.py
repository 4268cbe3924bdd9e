"""Accuracy of the FAQ matcher on labelled files.

A line is `question<TAB>label[<TAB>lang]`; the label is a topic id, `-` (out of scope: the fallback is
right), `smalltalk`, `crisis`, or `not-crisis` (a neutral use of crisis words: anything but `crisis` is
right). The language is the third column, or the file's `# lang: xx` line, or vi. Reports are per
language (`evaluate_by_lang`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.faq_matcher import FaqMatcher, Match
from bot.understanding.understander import CRISIS, SMALLTALK, Understander

OUT_OF_SCOPE_LABEL = "-"
NOT_CRISIS_LABEL = "not-crisis"


@dataclass(frozen=True)
class Case:
    question: str
    expected: str  # topic id, "-", "smalltalk", "crisis" or "not-crisis"
    lang: str = "vi"


@dataclass
class Report:
    in_scope: int = 0
    in_scope_right: int = 0  # right topic first (answer, or choice with it first)
    in_scope_answered: int = 0  # ... and answered without asking
    out_of_scope: int = 0
    out_of_scope_fallback: int = 0
    smalltalk: int = 0
    smalltalk_right: int = 0
    crisis: int = 0
    crisis_right: int = 0
    neutral: int = 0  # neutral uses of crisis words
    neutral_right: int = 0  # ... not answered as a crisis
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # question, expected, got

    @property
    def in_scope_accuracy(self) -> float:
        return self.in_scope_right / self.in_scope if self.in_scope else 1.0

    @property
    def out_of_scope_accuracy(self) -> float:
        return self.out_of_scope_fallback / self.out_of_scope if self.out_of_scope else 1.0

    def summary(self) -> str:
        lines = []
        if self.in_scope or not (self.smalltalk or self.crisis or self.neutral):
            lines.append(
                f"in scope:     {self.in_scope_right}/{self.in_scope} right topic first "
                f"({100 * self.in_scope_accuracy:.1f}%), {self.in_scope_answered} answered directly"
            )
        if self.out_of_scope or not (self.smalltalk or self.crisis or self.neutral):
            lines.append(
                f"out of scope: {self.out_of_scope_fallback}/{self.out_of_scope} fallback "
                f"({100 * self.out_of_scope_accuracy:.1f}%)"
            )
        for name, total, right in (
            ("small talk:  ", self.smalltalk, self.smalltalk_right),
            ("crisis:      ", self.crisis, self.crisis_right),
            ("not crisis:  ", self.neutral, self.neutral_right),
        ):
            if total:
                lines.append(f"{name} {right}/{total} right ({100 * right / total:.1f}%)")
        return "\n".join(lines)


def read_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    default_lang = "vi"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#"):
            head, _, value = line.lstrip("# ").partition(":")
            if head.strip() == "lang" and value.strip():
                default_lang = value.strip()
            continue
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) not in (2, 3) or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"{path}:{number}: expected 'question<TAB>label[<TAB>lang]'")
        lang = parts[2].strip() if len(parts) == 3 and parts[2].strip() else default_lang
        cases.append(Case(parts[0].strip(), parts[1].strip(), lang))
    return cases


def _match(matcher: FaqMatcher | Understander, case: Case) -> Match:
    if isinstance(matcher, Understander):
        return matcher.match(case.question, case.lang)
    return matcher.match(case.question)


def evaluate(matcher: FaqMatcher | Understander, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        match = _match(matcher, case)
        got = match.topic if match.kind != "fallback" else OUT_OF_SCOPE_LABEL
        if case.expected == OUT_OF_SCOPE_LABEL:
            report.out_of_scope += 1
            right = match.kind == "fallback"
            report.out_of_scope_fallback += right
        elif case.expected == SMALLTALK:
            report.smalltalk += 1
            right = match.topic == SMALLTALK
            report.smalltalk_right += right
        elif case.expected == CRISIS:
            report.crisis += 1
            right = match.topic == CRISIS
            report.crisis_right += right
        elif case.expected == NOT_CRISIS_LABEL:
            report.neutral += 1
            right = match.topic != CRISIS
            report.neutral_right += right
        else:
            report.in_scope += 1
            right = match.kind != "fallback" and match.topic == case.expected
            report.in_scope_right += right
            report.in_scope_answered += right and match.kind == "answer"
        if not right:
            report.misses.append((case.question, case.expected, f"{match.kind}:{got}"))
    return report


def evaluate_by_lang(matcher: FaqMatcher | Understander, cases: list[Case]) -> dict[str, Report]:
    langs = sorted({case.lang for case in cases}, key=lambda lang: ("vi", "en", "km", lang).index(lang))
    return {lang: evaluate(matcher, [c for c in cases if c.lang == lang]) for lang in langs}
