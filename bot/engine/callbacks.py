"""Callback data of our buttons: `v1|kind|arg|...`, at most 64 bytes.

The version prefix lets the bot tell a button of an older version (or of a message sent long ago)
from a current one and answer it helpfully. Officer buttons sent by the API's outbox use their own
fixed form, `ld|<lead id>|<action>`.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "v1"
LEAD_PREFIX = "ld"
REMINDER_PREFIX = "rm"


@dataclass(frozen=True)
class Callback:
    kind: str
    args: tuple[str, ...]


def data(kind: str, *args: str | int) -> str:
    text = "|".join([VERSION, kind, *(str(a) for a in args)])
    if len(text.encode("utf-8")) > 64:
        raise ValueError(f"callback data too long: {text!r}")
    return text


def parse(raw: str) -> Callback | None:
    """Our current buttons and the API's officer buttons; None for anything else (old or foreign)."""
    parts = raw.split("|")
    if len(parts) >= 2 and parts[0] == VERSION and parts[1]:
        return Callback(parts[1], tuple(parts[2:]))
    if len(parts) == 3 and parts[0] == LEAD_PREFIX and parts[1] and parts[2]:
        return Callback(LEAD_PREFIX, (parts[1], parts[2]))
    if len(parts) == 4 and parts[0] == REMINDER_PREFIX and parts[1] and parts[2] and parts[3] == "done":
        return Callback(REMINDER_PREFIX, (parts[1], parts[2]))
    return None
