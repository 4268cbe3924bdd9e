"""The screening content file (`screening.yaml`): its schema, and the checks that tie it to the code.

The evaluator relies on fixed ids (questions, choices, rules, caps, outcomes); `load` reports every
one that is missing, so a content edit cannot silently drop an explanation or a legal basis.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from content.localized import LANGS, Localized, ReviewMeta
from content.problems import Problem
from content.screening import ids
from content.source import load_model

FILE = "screening.yaml"

Applicant = Literal["person", "business"]
QuestionType = Literal["choice", "date", "month_or_date", "amount", "integer", "code"]
RuleKind = Literal["fail", "not_yet", "review", "note"]
Confidence = Literal["high", "medium", "inference"]
# A condition: answer id -> accepted values. A list of conditions matches when any one matches.
Condition = dict[str, list[str]]
_Report = Callable[[str, str], None]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Strict):
    """When something is in force: from `effective_from` to `effective_to` (both days included)."""

    effective_from: date
    effective_to: date | None = None

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class Choice(_Strict):
    id: str = Field(min_length=1)
    label: Localized
    # What people type for this choice in their own words ("nuoi heo" for production), in any of
    # the three languages, without diacritics or with: a typed answer containing one of them (and
    # none of another choice's) means this choice. Chat only; the API takes ids.
    says: list[str] = []


class Question(_Strict):
    id: str = Field(min_length=1)
    applicant: Applicant | Literal["any"]
    type: QuestionType
    required: Literal["always", "never", "when"]
    required_when: list[Condition] = []
    not_after_as_of_when: list[Condition] = []
    not_more_than: str | None = None
    # For the chat flow: whether a question is asked at all, and when an optional one is asked
    # (empty: whenever the applicant is asked questions).
    asked: bool = True
    ask_when: list[Condition] = []
    min: int | None = None
    max: int | None = None  # a number beyond it is a typo (or an attack), not an answer
    label: Localized
    prompt: Localized
    help: Localized | None = None
    choices: list[Choice] = []

    def choice_ids(self) -> list[str]:
        return [choice.id for choice in self.choices]

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("a choice question needs choices, and only a choice question has them")
        if (self.required == "when") != bool(self.required_when):
            raise ValueError("required_when is needed exactly when required is 'when'")
        if len(set(self.choice_ids())) != len(self.choices):
            raise ValueError("choice ids repeat")
        return self


class Relative(_Strict):
    """Third-person wording (a family member asks for the person, "người nhà của bạn"); a field left
    out keeps the person's own text, which then does not speak to "bạn"."""

    summary: Localized | None = None
    explanation: Localized | None = None
    caveat: Localized | None = None
    remedy: Localized | None = None


class Rule(Window):
    id: str = Field(min_length=1)
    applicants: list[Applicant] = Field(min_length=1)
    kind: RuleKind
    confidence: Confidence
    basis: Localized
    params: dict[str, int] = {}
    explanation: Localized
    caveat: Localized | None = None
    remedy: Localized
    relative: Relative | None = None

    def text(self, field: Literal["explanation", "caveat", "remedy"], relative: bool) -> Localized | None:
        """A text of the rule, in the third person when `relative` and the content has that wording."""
        other = getattr(self.relative, field) if relative and self.relative is not None else None
        own: Localized | None = getattr(self, field)
        return other if other is not None and own is not None else own

    @model_validator(mode="after")
    def _caveat_when_unsure(self) -> Rule:
        if self.confidence != "high" and self.caveat is None:
            raise ValueError(f"confidence {self.confidence} needs a caveat that says so")
        return self


class Cap(Window):
    id: str = Field(min_length=1)
    applicant: Applicant
    purpose: str | None = None
    amount: int = Field(ge=0)
    per: Literal["loan", "month", "worker"]
    confidence: Confidence
    basis: Localized
    explanation: Localized | None = None
    caveat: Localized | None = None

    @model_validator(mode="after")
    def _caveat_when_unsure(self) -> Cap:
        if self.confidence != "high" and self.caveat is None:
            raise ValueError(f"confidence {self.confidence} needs a caveat that says so")
        return self


class OutcomeText(_Strict):
    label: Localized
    summary: Localized
    relative: Relative | None = None  # only `summary` is read

    def summary_for(self, relative: bool) -> Localized:
        other = self.relative.summary if relative and self.relative is not None else None
        return other or self.summary


class Money(_Strict):
    loan: Localized
    month: Localized


class ScreeningContent(_Strict):
    meta: ReviewMeta = ReviewMeta()
    policy: Window
    disclaimer: Localized
    outcomes: dict[str, OutcomeText]
    money: Money
    errors: dict[str, Localized]
    questions: list[Question]
    caps: list[Cap]
    rules: list[Rule]

    def questions_for(self, applicant: str) -> list[Question]:
        return [q for q in self.questions if q.applicant in (applicant, "any")]

    def question(self, applicant: str, question_id: str) -> Question | None:
        return next((q for q in self.questions_for(applicant) if q.id == question_id), None)

    def rule(self, rule_id: str, day: date) -> Rule | None:
        """The version of a rule in force on `day`, or None."""
        return next((r for r in self.rules if r.id == rule_id and r.in_force(day)), None)

    def rule_any(self, rule_id: str) -> Rule | None:
        """The latest version of a rule, whatever the day (for explaining the policy window)."""
        versions = [r for r in self.rules if r.id == rule_id]
        return max(versions, key=lambda r: r.effective_from) if versions else None

    def cap(self, cap_id: str, day: date) -> Cap | None:
        return next((c for c in self.caps if c.id == cap_id and c.in_force(day)), None)


def load(root: Path, problems: list[Problem]) -> ScreeningContent | None:
    before = len(problems)
    screening = load_model(root, FILE, ScreeningContent, problems)
    if screening is None:
        return None
    check(screening, problems)
    return screening if len(problems) == before else None


def check(screening: ScreeningContent, problems: list[Problem]) -> None:
    """Cross-checks between the file and the ids the evaluator relies on."""

    def problem(place: str, message: str) -> None:
        problems.append(Problem(FILE, place, message))

    _check_questions(screening, problem)
    _check_rules(screening, problem)
    _check_caps(screening, problem)
    for outcome in ids.OUTCOMES:
        if outcome not in screening.outcomes:
            problem(f"outcomes.{outcome}", "missing: every outcome needs a label and a summary")
    for code in ids.ERROR_CODES:
        if code not in screening.errors:
            problem(f"errors.{code}", "missing: every input error needs a message")
    for code, text in screening.errors.items():
        _check_placeholders(text, ids.ERROR_PLACEHOLDERS.get(code, set()), f"errors.{code}", problem)


def _check_questions(screening: ScreeningContent, problem: _Report) -> None:
    seen: set[tuple[str, str]] = set()
    for index, question in enumerate(screening.questions):
        key = (question.applicant, question.id)
        if key in seen:
            problem(f"questions.{index}.id", f"question {question.id} repeats for {question.applicant}")
        seen.add(key)
    for applicant, wanted in ids.QUESTIONS.items():
        for question_id, (qtype, choices) in wanted.items():
            found = screening.question(applicant, question_id)
            if found is None:
                problem("questions", f"missing question {question_id} for {applicant}")
                continue
            if found.type != qtype:
                problem(f"questions.{question_id}.type", f"must be {qtype} (the evaluator reads it so)")
            missing = [c for c in choices if c not in found.choice_ids()]
            if missing:
                problem(f"questions.{question_id}.choices", f"missing choices: {', '.join(missing)}")
    for question in screening.questions:
        applicant = question.applicant
        known = {q.id for q in screening.questions_for(applicant)} if applicant != "any" else {"applicant"}
        for conditions in (question.required_when, question.not_after_as_of_when, question.ask_when):
            for condition in conditions:
                for answer_id in condition:
                    if answer_id not in known:
                        problem(f"questions.{question.id}", f"condition names unknown answer {answer_id}")
        if question.not_more_than and question.not_more_than not in known:
            problem(f"questions.{question.id}.not_more_than", f"unknown answer {question.not_more_than}")


def _check_rules(screening: ScreeningContent, problem: _Report) -> None:
    by_id: dict[str, list[Rule]] = {}
    for rule in screening.rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, (kind, params) in ids.RULES.items():
        versions = by_id.get(rule_id)
        if not versions:
            problem(f"rules.{rule_id}", "missing: every reason and note needs an explanation and its basis")
            continue
        for rule in versions:
            if rule.kind != kind:
                problem(f"rules.{rule_id}.kind", f"must be {kind}")
            for param in params:
                if param not in rule.params:
                    problem(f"rules.{rule_id}.params", f"missing {param}")
            allowed = set(rule.params) | ids.RULE_PLACEHOLDERS.get(rule_id, set())
            for field in ("explanation", "remedy", "caveat"):
                for text, place in (
                    (getattr(rule, field), f"rules.{rule_id}.{field}"),
                    (getattr(rule.relative, field, None), f"rules.{rule_id}.relative.{field}"),
                ):
                    if text is not None:
                        _check_placeholders(text, allowed, place, problem)
        _check_windows(rule_id, versions, "rules", problem)
    for rule_id in by_id:
        if rule_id not in ids.RULES:
            problem(f"rules.{rule_id}", "unknown rule id: the evaluator has no condition for it")


def _check_caps(screening: ScreeningContent, problem: _Report) -> None:
    by_id: dict[str, list[Cap]] = {}
    for cap in screening.caps:
        by_id.setdefault(cap.id, []).append(cap)
    for cap_id in ids.CAPS:
        versions = by_id.get(cap_id)
        if not versions:
            problem(f"caps.{cap_id}", "missing cap")
            continue
        for cap in versions:
            if cap_id in ids.CAPS_EXPLAINED and cap.explanation is None:
                problem(f"caps.{cap_id}.explanation", "missing: this cap is explained to the person")
            for field in ("explanation", "caveat"):
                text = getattr(cap, field)
                if text is not None:
                    _check_placeholders(text, ids.CAP_PLACEHOLDERS, f"caps.{cap_id}.{field}", problem)
        _check_windows(cap_id, versions, "caps", problem)
    for cap_id in by_id:
        if cap_id not in ids.CAPS:
            problem(f"caps.{cap_id}", "unknown cap id")


def _check_windows(item_id: str, versions: list[Rule] | list[Cap], where: str, problem: _Report) -> None:
    ordered = sorted(versions, key=lambda v: v.effective_from)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            problem(f"{where}.{item_id}", "two versions are in force on the same day")


def _check_placeholders(text: Localized, allowed: set[str], place: str, problem: _Report) -> None:
    for lang in LANGS:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text.get(lang)) if name is not None}
        except ValueError as err:
            problem(f"{place}.{lang}", f"bad placeholder: {err}")
            continue
        unknown = sorted(name for name in names if name not in allowed)
        if unknown:
            problem(f"{place}.{lang}", f"unknown placeholder(s): {', '.join(unknown)}")
