"""What a person did, whatever the channel: typed text, a command, a button, a shared contact, or
something the bot cannot read (a sticker, a photo, a voice message ...)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Command:
    name: str  # without the slash, lower case: "start", "huy"
    arg: str = ""


@dataclass(frozen=True)
class Press:
    data: str  # the button's callback data


@dataclass(frozen=True)
class SharedContact:
    phone: str
    own: bool  # the person shared their own number (not somebody else's contact card)


@dataclass(frozen=True)
class Unsupported:
    kind: str  # "sticker", "photo", "voice", ... (never its content)


Event = Text | Command | Press | SharedContact | Unsupported


def from_text(text: str) -> Event:
    """Typed text, or a command when it starts with "/" ("/canbo ABC123", "/start@buocmoi_bot")."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, rest = stripped[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        if name.replace("_", "").isalnum():
            return Command(name, rest.strip())
    return Text(text)
