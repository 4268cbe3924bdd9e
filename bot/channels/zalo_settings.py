"""Settings of the Zalo channel (kept apart from bot/channels/zalo.py so `serve` can check them
without loading the bot)."""

from __future__ import annotations

import re
import secrets

from pydantic import AliasChoices, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_ROOT = "https://bot-api.zaloplatforms.com"
_SECRET = re.compile(r"[\x21-\x7e]{8,256}")


class ZaloSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    zalo_bot_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices("ZALO_BOT_TOKEN"))
    # The API root; calls go to {root}/bot{token}/{method}.
    zalo_api_base_url: str = Field(
        default=DEFAULT_API_ROOT, validation_alias=AliasChoices("ZALO_API_BASE_URL")
    )
    # Public URL the platform posts updates to; unset: getUpdates long polling.
    zalo_webhook_url: str | None = Field(default=None, validation_alias=AliasChoices("ZALO_WEBHOOK_URL"))
    # Sent back by the platform in X-Bot-Api-Secret-Token. The platform asks for 8-256 characters.
    zalo_webhook_secret: SecretStr = Field(
        default_factory=lambda: SecretStr(secrets.token_urlsafe(32)),
        validation_alias=AliasChoices("ZALO_WEBHOOK_SECRET"),
    )

    @field_validator("zalo_bot_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("zalo_api_base_url", "zalo_webhook_url", mode="before")
    @classmethod
    def _url(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:  # blank: the platform's root, or no webhook
                return DEFAULT_API_ROOT if info.field_name == "zalo_api_base_url" else None
            if not value.startswith(("http://", "https://")):
                raise ValueError("must start with http:// or https://")
        return value

    @field_validator("zalo_webhook_secret", mode="before")
    @classmethod
    def _secret(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return SecretStr(secrets.token_urlsafe(32))
            if not _SECRET.fullmatch(value):
                raise ValueError("8 to 256 visible ASCII characters (it travels in an HTTP header)")
        return value

    @property
    def token(self) -> str | None:
        return self.zalo_bot_token.get_secret_value() if self.zalo_bot_token else None
