"""Callback data of our buttons: kept as the engine's name for `contract.buttons` (both the bot and
the API build and read button data there)."""

from __future__ import annotations

from contract.buttons import LEAD_PREFIX, REMINDER_PREFIX, VERSION, Callback, data, lead_button, parse

__all__ = ["LEAD_PREFIX", "REMINDER_PREFIX", "VERSION", "Callback", "data", "lead_button", "parse"]
