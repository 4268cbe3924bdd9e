"""Bot settings from the environment (names fixed by spec/interfaces.md where they appear there)."""

from __future__ import annotations

import re
import secrets

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN")
    )
    # python-telegram-bot's `base_url` (".../bot", or with "{token}"); None: Telegram's own.
    telegram_api_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_API_BASE_URL")
    )
    # Public URL Telegram posts updates to; unset: long polling.
    telegram_webhook_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_WEBHOOK_URL")
    )
    # Checked in the X-Telegram-Bot-Api-Secret-Token header of every webhook call. Several workers
    # behind one webhook must share it; one process may leave it unset (a random one is made).
    telegram_webhook_secret: SecretStr = Field(
        default_factory=lambda: SecretStr(secrets.token_urlsafe(32)),
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET"),
    )
    # The API the bot talks to; unset: the API of this process (in-process transport, no network).
    api_url: str | None = Field(default=None, validation_alias=AliasChoices("BUOCMOI_API_URL"))
    api_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices("BUOCMOI_INTAKE_TOKEN"))

    @field_validator("telegram_bot_token", "api_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_base_url", "telegram_webhook_url", "api_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.startswith(("http://", "https://")):
                raise ValueError("must start with http:// or https://")
        return value

    @field_validator("telegram_webhook_secret", mode="before")
    @classmethod
    def _secret_form(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return SecretStr(secrets.token_urlsafe(32))
            if not _SECRET.match(value):
                raise ValueError("1-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def webhook(self) -> bool:
        return self.telegram_webhook_url is not None
