"""What the bot answers, whatever the channel: text, rows of buttons, and a request to share a
phone number (Telegram's contact button; a terminal shows it as a hint)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # callback data, at most 64 bytes (Telegram's limit)

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > 64:
            raise ValueError(f"callback data longer than 64 bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    # Label of a "share my phone number" button shown in place of the keyboard, or None.
    request_contact: str | None = None
    # Take away a keyboard shown earlier (the contact button) with this message.
    remove_keyboard: bool = False
    # The question wants a typed number: a terminal must not take "2" for the second button.
    numeric_input: bool = False

    def all_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass
class Outcome:
    """The engine's answer to one event: the new state (None: forget the conversation) and replies."""

    state: dict[str, object] | None
    replies: list[Reply] = field(default_factory=list)
