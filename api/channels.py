"""Chat ids of the bot's channels, as stored on accounts (linked chats), follow-ups and outbox rows.

A Telegram chat id is a number; a chat of another channel carries its channel's prefix
("zalo:<id>"), so one column holds both and the outbox knows where to send (`outbox_kind`).
Zalo chat ids are short opaque strings; 27 characters leave room for the prefix in the existing
32-character columns.
"""

from __future__ import annotations

ZALO_PREFIX = "zalo:"
CHAT_ID_PATTERN = r"^(-?\d{1,20}|zalo:[A-Za-z0-9_-]{1,27})$"


def outbox_kind(chat_id: str) -> str:
    """The outbox lane of a message to this chat: "zalo" or "telegram"."""
    return "zalo" if chat_id.startswith(ZALO_PREFIX) else "telegram"


def zalo_chat(chat_id: str) -> str:
    """The platform's own chat id of a "zalo:<id>" chat."""
    return chat_id.removeprefix(ZALO_PREFIX)


# Channels whose people are written to in their chat (status updates, follow-ups); the chat id is
# the lead's `channel_user`.
CHAT_CHANNELS = ("telegram", "zalo")
