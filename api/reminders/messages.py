"""The words and payloads of agency reminders and escalations (Telegram text, button, webhook event)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.models import Account
from content.deadlines import DeadlineBook, Reminder
from content.deadlines.text import format_day, reminder_text
from content.reminders import RemindersContent
from contract.buttons import reminder_done

TELEGRAM_MAX_CHARS = 4096


# The reports whose reminders link to their draft (api/services/implementation_report.py).
REPORT_DEADLINES = frozenset({"half_year_report", "annual_report"})


def agency_text(
    book: DeadlineBook,
    reminder: Reminder,
    lang: str,
    words: RemindersContent | None = None,
    base_url: str | None = None,
) -> str:
    """The reminder's words; a report's reminder ends with the link to its draft when the console's
    address (`base_url`) is known."""
    text = reminder_text(book, reminder, lang)
    if words is not None and base_url and reminder.deadline_id in REPORT_DEADLINES:
        from api.services.implementation_report import draft_link

        url = draft_link(base_url, reminder.period)
        text += "\n\n" + words.report_draft_link.get(lang).format(url=url)
    return _fit(text)


def done_buttons(words: RemindersContent, reminder: Reminder, lang: str) -> list[list[dict[str, str]]]:
    return [
        [
            {
                "text": words.done_button.get(lang),
                "callback_data": reminder_done(reminder.deadline_id, reminder.period),
            }
        ]
    ]


def escalation_text(
    book: DeadlineBook,
    words: RemindersContent,
    late: Sequence[tuple[Reminder, Sequence[Account]]],
    lang: str,
) -> str:
    """One paragraph per late assignee kind: the data's escalation words, then who is late by name."""
    paragraphs = []
    for reminder, accounts in late:
        names = [a.name for a in accounts[: words.late_names_shown]]
        listed = ", ".join(names)
        hidden = len(accounts) - len(names)
        if hidden > 0:
            listed += " " + words.more_accounts.get(lang).format(count=hidden)
        paragraphs.append(
            reminder_text(book, reminder, lang) + "\n" + words.late_accounts.get(lang).format(names=listed)
        )
    return _fit("\n\n".join(paragraphs))


def agency_event(reminder: Reminder, text: str) -> dict[str, Any]:
    return {
        "event": f"reminder.{reminder.kind}",
        "deadline_id": reminder.deadline_id,
        "period": reminder.period,
        "due": reminder.due.isoformat(),
        "send_on": reminder.send_on.isoformat(),
        "shifted": reminder.shifted,
        "text": text,
    }


def escalation_event(
    reminder: Reminder, late: Sequence[tuple[Reminder, Sequence[Account]]]
) -> dict[str, Any]:
    return {
        "event": "reminder.escalation",
        "deadline_id": reminder.deadline_id,
        "period": reminder.period,
        "due": reminder.due.isoformat(),
        "due_text": format_day(reminder.due),
        "send_on": reminder.send_on.isoformat(),
        "late": [
            {"account_id": a.id, "name": a.name, "role": a.role, "agency_kind": a.agency_kind}
            for _, accounts in late
            for a in accounts
        ],
    }


def _fit(text: str) -> str:
    return text if len(text) <= TELEGRAM_MAX_CHARS else text[: TELEGRAM_MAX_CHARS - 1] + "…"
