"""Reminder scheduler wording and timing, people's follow-ups, and the targets report headings, as data.

Follow-ups go to a person on their own (a locked phone may preview them), so every language of every
follow-up text must pass `content.discreet`; the content check reports any forbidden word.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from content.discreet import forbidden_words_in
from content.localized import LANGS, Localized, ReviewMeta, check_placeholders
from content.problems import Problem
from content.source import load_model

FILE = "reminders.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetsReportWords(_Frozen):
    title: Localized  # {year}, {province}
    communes_sheet: Localized
    targets_sheet: Localized
    transfers_sheet: Localized
    code: Localized
    commune: Localized
    requests: Localized
    disbursed: Localized
    minimum: Localized
    met: Localized
    target: Localized
    unit: Localized
    confirmed: Localized
    from_commune: Localized
    to_commune: Localized
    no_receiver: Localized
    yes_word: Localized
    no_word: Localized


class WorkingHours(_Frozen):
    """When messages may go out on a day, local time: from `start` up to (not including) `end`."""

    start: time = time(8, 0)
    end: time = time(17, 0)

    @model_validator(mode="after")
    def _start_before_end(self) -> WorkingHours:
        if not self.start < self.end:
            raise ValueError("`start` must be before `end`")
        return self

    def __contains__(self, moment: time) -> bool:
        return self.start <= moment.replace(tzinfo=None) < self.end


class RemindersContent(_Frozen):
    meta: ReviewMeta = ReviewMeta()
    working_hours: WorkingHours = WorkingHours()
    catch_up_days: int = Field(default=7, ge=0, le=60)
    late_names_shown: int = Field(default=20, ge=1, le=200)
    done_button: Localized
    done_recorded: Localized
    late_accounts: Localized
    more_accounts: Localized
    # A half-year or annual report's reminder ends with this line, linking to its draft (issue 16).
    report_draft_link: Localized
    followups: dict[str, Localized] = Field(min_length=1)
    targets_report: TargetsReportWords


# Placeholders each text may use (anything else is a content problem).
_FIELDS: dict[str, frozenset[str]] = {
    "done_button": frozenset(),
    "done_recorded": frozenset({"what", "period"}),
    "late_accounts": frozenset({"names"}),
    "more_accounts": frozenset({"count"}),
    "report_draft_link": frozenset({"url"}),
    "targets_report.title": frozenset({"year", "province"}),
}


def load(root: Path, problems: list[Problem]) -> RemindersContent | None:
    words = load_model(root, FILE, RemindersContent, problems)
    if words is None:
        return None
    before = len(problems)
    texts = {
        "done_button": words.done_button,
        "done_recorded": words.done_recorded,
        "late_accounts": words.late_accounts,
        "more_accounts": words.more_accounts,
        "report_draft_link": words.report_draft_link,
        "targets_report.title": words.targets_report.title,
    }
    for place, text in texts.items():
        _check_fields(text, _FIELDS[place], place, problems)
    for kind, text in words.followups.items():
        _check_fields(text, frozenset(), f"followups.{kind}", problems)
        for lang in LANGS:
            for word in forbidden_words_in(text.get(lang)):
                problems.append(
                    Problem(FILE, f"followups.{kind}.{lang}", f"a discreet message must not contain {word!r}")
                )
    return words if len(problems) == before else None


def _check_fields(text: Localized, allowed: frozenset[str], place: str, problems: list[Problem]) -> None:
    check_placeholders(text, allowed, FILE, place, problems)
