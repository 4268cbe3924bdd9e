"""Callback data of the buttons, at most 64 bytes (Telegram's limit), in three forms:

- `v1|kind|arg|...`: the bot's own buttons. The version prefix lets the bot tell a button of an
  older version (or of a message sent long ago) from a current one and answer it helpfully.
- `ld|<lead id>|<action>`: an officer's button under a lead, sent by the API (outbox, escalations)
  and by the bot; `action` is a status to move to, or `view` / `remind`.
- `rm|<deadline id>|<period>|done`: the "done" button under an agency's deadline reminder.

Build them only with the functions here and read them only with `parse`: the API writes the `ld`
and `rm` forms, the bot reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit on callback_data
SEPARATOR = "|"
VERSION = "v1"
LEAD_PREFIX = "ld"
REMINDER_PREFIX = "rm"
REMINDER_DONE = "done"


@dataclass(frozen=True)
class Callback:
    kind: str
    args: tuple[str, ...]


def _join(parts: list[str]) -> str:
    for part in parts:
        if SEPARATOR in part:
            # A separator inside an argument would shift every later argument when parsed.
            raise ValueError(f"callback data argument holds {SEPARATOR!r}: {part!r}")
    text = SEPARATOR.join(parts)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data too long: {text!r}")
    return text


def data(kind: str, *args: str | int) -> str:
    """One of the bot's own buttons: `v1|kind|arg|...`."""
    return _join([VERSION, kind, *(str(a) for a in args)])


def lead_button(lead_id: str | int, action: str) -> str:
    """An officer's button under a lead: `ld|<lead id>|<action>`."""
    if not str(lead_id) or not action:
        raise ValueError("a lead button needs a lead id and an action")
    return _join([LEAD_PREFIX, str(lead_id), action])


def reminder_done(deadline_id: str, period: str) -> str:
    """The "done" button under a deadline reminder: `rm|<deadline id>|<period>|done`."""
    if not deadline_id or not period:
        raise ValueError("a reminder button needs a deadline id and a period")
    return _join([REMINDER_PREFIX, deadline_id, period, REMINDER_DONE])


def parse(raw: str) -> Callback | None:
    """Our current buttons and the officers' and agencies' buttons; None for anything else (old or
    foreign). An `ld` button parses to `Callback("ld", (lead_id, action))`, an `rm` one to
    `Callback("rm", (deadline_id, period))`."""
    parts = raw.split(SEPARATOR)
    if len(parts) >= 2 and parts[0] == VERSION and parts[1]:
        return Callback(parts[1], tuple(parts[2:]))
    if len(parts) == 3 and parts[0] == LEAD_PREFIX and parts[1] and parts[2]:
        return Callback(LEAD_PREFIX, (parts[1], parts[2]))
    if (
        len(parts) == 4
        and parts[0] == REMINDER_PREFIX
        and parts[1]
        and parts[2]
        and parts[3] == REMINDER_DONE
    ):
        return Callback(REMINDER_PREFIX, (parts[1], parts[2]))
    return None
