"""Which question to ask next, for a chat that asks one question at a time (the evaluator decides)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from content.screening.answers import is_required, matches
from content.screening.schema import Question, ScreeningContent


def next_question(answers: Mapping[str, Any], content: ScreeningContent) -> Question | None:
    """The first question, in questionnaire order, that applies to these answers and is not answered
    yet: required ones, and optional ones whose `ask_when` matches. None when nothing is left to ask.
    Answers are raw ids as the evaluator takes them (e.g. {"applicant": "person", ...})."""
    applicant = answers.get("applicant")
    if applicant not in ("person", "business"):
        return content.question("any", "applicant")
    for question in content.questions_for(str(applicant)):
        if not question.asked or answers.get(question.id) is not None:
            continue
        if is_required(question, answers):
            wanted = True
        elif question.ask_when:
            wanted = matches(question.ask_when, answers)
        else:
            wanted = question.required == "never"
        if wanted:
            return question
    return None
