"""Checks on text a person typed, shared by the models of the contract and the API's exports."""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 control characters other than tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Limits on what one referral may carry: screening answers are a few short scalars; anything far
# larger is a mistake or an attack, and would be stored and copied into every export and event.
MAX_ANSWERS = 40
MAX_ANSWER_KEY = 64
MAX_ANSWER_TEXT = 200


def refuse_control_characters(value: str) -> str:
    """Text people type never holds control characters (ESC, BEL, NUL...): they break exports and
    logs, and PostgreSQL cannot store NUL at all. Tab and line breaks are allowed (and folded by
    the callers that want one line)."""
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters")
    return value


def check_answers(answers: dict[str, Any]) -> dict[str, Any]:
    if len(answers) > MAX_ANSWERS:
        raise ValueError(f"at most {MAX_ANSWERS} answers")
    for key, value in answers.items():
        if len(key) > MAX_ANSWER_KEY:
            raise ValueError(f"an answer id is at most {MAX_ANSWER_KEY} characters")
        refuse_control_characters(key)
        if isinstance(value, str):
            if len(value) > MAX_ANSWER_TEXT:
                raise ValueError(f"{key}: at most {MAX_ANSWER_TEXT} characters")
            refuse_control_characters(value)
        elif value is not None and not isinstance(value, bool | int | float):
            raise ValueError(f"{key}: an answer is a text, a number, true/false or null")
    return answers
