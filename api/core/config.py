"""API settings from the environment (names fixed by spec/interfaces.md), checked at start."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from vietnam_provinces import ProvinceCode

DEFAULT_SQLITE_PATH = Path("var") / "buocmoi.db"


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}", validation_alias=AliasChoices("DATABASE_URL")
    )
    province: int = Field(default=92, validation_alias=AliasChoices("BUOCMOI_PROVINCE"))
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("BUOCMOI_HOST"))
    port: int = Field(default=8000, ge=1, le=65535, validation_alias=AliasChoices("BUOCMOI_PORT"))
    # Processes answering the API (PostgreSQL only): see buocmoi/workers.py.
    api_workers: int = Field(default=1, ge=1, le=16, validation_alias=AliasChoices("BUOCMOI_API_WORKERS"))
    # The API delivers officer notifications and status updates through the Bot API itself.
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN")
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias=AliasChoices("TELEGRAM_API_BASE_URL")
    )
    # Messages to officers' and people's Zalo chats ("zalo:<id>") go out through the Zalo Bot
    # Platform with this token (bot/channels/zalo.py reads the same variables).
    zalo_bot_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices("ZALO_BOT_TOKEN"))
    zalo_api_base_url: str = Field(
        default="https://bot-api.zaloplatforms.com", validation_alias=AliasChoices("ZALO_API_BASE_URL")
    )
    # The scheduler of `serve` (agency reminders, people's follow-ups, escalation of unreceived
    # referrals). Off: this process sends none of them (e.g. a copy of the service that must not
    # message staff; the test suite).
    scheduler: bool = Field(default=True, validation_alias=AliasChoices("BUOCMOI_SCHEDULER"))
    # The scheduler acts as at this moment instead of the system time (ISO 8601 with its UTC offset,
    # e.g. 2027-02-04T08:30:00+07:00): a rehearsal of a given day, and tests. Unset in production.
    # Retention always reads the system time.
    clock: datetime | None = Field(default=None, validation_alias=AliasChoices("BUOCMOI_CLOCK"))

    # Webhook receivers on loopback (127.0.0.0/8, ::1) are refused like every non-public address,
    # unless this is set: for tests and local trials only, never in production.
    webhook_allow_loopback: bool = Field(
        default=False, validation_alias=AliasChoices("BUOCMOI_WEBHOOK_ALLOW_LOOPBACK")
    )
    # Where staff open the console (sign-in links point here); http://HOST:PORT when unset.
    public_url: str | None = Field(default=None, validation_alias=AliasChoices("BUOCMOI_PUBLIC_URL"))
    # The bot's Telegram username (without @), for the landing page's link to it.
    bot_username: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_]{5,32}$", validation_alias=AliasChoices("BUOCMOI_BOT_USERNAME")
    )

    @field_validator("telegram_bot_token", "zalo_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("clock")
    @classmethod
    def _aware_clock(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs its UTC offset, e.g. 2027-02-04T08:30:00+07:00")
        return value

    @field_validator("clock", mode="before")
    @classmethod
    def _blank_clock_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("zalo_api_base_url", mode="before")
    @classmethod
    def _blank_zalo_root(cls, value: object) -> object:
        blank = isinstance(value, str) and not value.strip()
        return "https://bot-api.zaloplatforms.com" if blank else value

    @field_validator("telegram_api_base_url", "zalo_api_base_url")
    @classmethod
    def _http_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.strip().rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _valid_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as err:
            raise ValueError(f"not a database URL ({err})") from err
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("only sqlite:// and postgresql:// URLs are supported")
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            # Plain postgresql:// would pick psycopg2, which we do not install.
            value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return value

    @field_validator("province")
    @classmethod
    def _known_province(cls, value: int) -> int:
        try:
            ProvinceCode(value)
        except ValueError as err:
            raise ValueError(f"{value} is not an official province code") from err
        return value

    @property
    def base_url(self) -> str:
        """The console's public address, without a trailing slash."""
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"
