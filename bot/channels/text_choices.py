"""Buttons on a channel that shows only text (Zalo Bot, SMS-like chats): numbered choices.

The engine's replies carry rows of buttons (`bot.engine.replies`). A text-only channel appends them
to the message as "1. Label" lines, numbered across all the replies of one answer, and remembers
them per chat (`ChoiceMemory`). The person answers "1" or types the label ("có", "Có"), which
becomes the press of that button; anything else is ordinary typed text (the engine's own matching,
`bot.engine.choices`, still reads it). A question that wants a typed number (`numeric_input`) takes
"2" as the number, not as the second choice.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.engine.events import Event, Press, from_text
from bot.engine.replies import Button, Reply

# "1", "1.", "1)", " 1 . " — also the label copied with its number ("1. Có").
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*(.*)$", re.DOTALL)
PHONE_EXAMPLE = "09xx xxx xxx"


@dataclass(frozen=True)
class Shown:
    """The choices last shown to one chat, in their numbers' order."""

    buttons: tuple[Button, ...] = ()
    numeric_input: bool = False


@dataclass(frozen=True)
class Rendered:
    texts: list[str]  # one message per reply, choices appended
    shown: Shown


def render(replies: Sequence[Reply]) -> Rendered:
    """The replies as plain texts with their buttons as numbered lines."""
    texts: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        lines = [reply.text]
        if reply.request_contact:
            # No contact button on a text channel: the person types the number.
            lines.append(f"📱 {reply.request_contact}: {PHONE_EXAMPLE}")
        if reply.buttons:
            lines.append("")
            for button in reply.all_buttons():
                buttons.append(button)
                lines.append(f"{len(buttons)}. {button.label}")
        texts.append("\n".join(lines))
    numeric = any(r.numeric_input for r in replies)
    return Rendered(texts, Shown(tuple(buttons), numeric))


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def to_event(text: str, shown: Shown | None) -> Event:
    """What a typed answer means, given the choices last shown (None: none remembered)."""
    if shown is not None and shown.buttons:
        match = _NUMBERED.match(text)
        if match and not (shown.numeric_input and not match.group(2)):
            index = int(match.group(1)) - 1
            rest = _fold(match.group(2))
            if 0 <= index < len(shown.buttons) and rest in ("", _fold(shown.buttons[index].label)):
                return Press(shown.buttons[index].data)
        folded = _fold(text)
        for button in shown.buttons:
            if folded == _fold(button.label):
                return Press(button.data)
    return from_text(text)


class ChoiceMemory:
    """The choices shown to each chat, kept while the conversation is active (bounded, expiring).

    In this process's memory only: after a restart (or on another worker) a "2" reaches the engine as
    typed text, which its own matching still understands for a question's choices."""

    def __init__(
        self, ttl: float = 3600.0, limit: int = 20_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl, self._limit, self._clock = ttl, limit, clock
        self._entries: OrderedDict[str, tuple[float, Shown]] = OrderedDict()

    def get(self, chat: str) -> Shown | None:
        entry = self._entries.get(chat)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[chat]
            return None
        return entry[1]

    def put(self, chat: str, shown: Shown) -> None:
        """Remember the choices an answer showed (none: the earlier ones no longer apply)."""
        self._entries[chat] = (self._clock() + self._ttl, shown)
        self._entries.move_to_end(chat)
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def split_text(text: str, limit: int) -> list[str]:
    """A text in pieces of at most `limit` characters, cut at a line end or else a space where one
    lies in the second half of the piece, so a channel with a shorter limit than the engine's
    (Zalo: 2000) never has a message refused for its length."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest or "…")
    return pieces
