"""The outreach kit's links: for each commune of the province, the ways to reach Bước Mới with the
commune already chosen.

- Telegram: `https://t.me/<BUOCMOI_BOT_USERNAME>?start=c<code>` (the bot reads `/start c<code>`);
  none when the bot's username is not set.
- Zalo: `ZALO_BOT_LINK` (the Zalo bot's or Official Account's public link); a `{code}` in it is
  replaced by the commune code, otherwise the same link serves every commune; none when unset.
- Web: `<BUOCMOI_PUBLIC_URL>/chat?c=<code>`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.core.config import ApiSettings
from bot.engine.deeplink import start_payload
from content.communes.official import NewWard, province_wards


class OutreachSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # The public link of the Zalo bot or Official Account (e.g. https://zalo.me/<id>); `{code}` in
    # it is replaced by the commune code where the platform passes a parameter on.
    zalo_bot_link: str | None = Field(default=None, validation_alias=AliasChoices("ZALO_BOT_LINK"))

    @field_validator("zalo_bot_link", mode="before")
    @classmethod
    def _https(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.startswith(("https://", "http://")):
                raise ValueError("must start with https://")
        return value


@dataclass(frozen=True)
class CommuneLinks:
    code: str
    name: str
    telegram: str | None
    zalo: str | None
    web: str


def links_for(commune: NewWard, api: ApiSettings, outreach: OutreachSettings) -> CommuneLinks:
    code = commune.code
    telegram = f"https://t.me/{api.bot_username}?start={start_payload(code)}" if api.bot_username else None
    zalo = outreach.zalo_bot_link.replace("{code}", quote(code)) if outreach.zalo_bot_link else None
    web = f"{api.base_url}/chat?c={quote(code)}"
    return CommuneLinks(code, commune.name, telegram, zalo, web)


def province_links(api: ApiSettings, outreach: OutreachSettings) -> list[CommuneLinks]:
    return [links_for(commune, api, outreach) for commune in province_wards(api.province)]


def to_csv(rows: Iterable[CommuneLinks]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ma_xa", "ten_xa", "telegram", "zalo", "web"])
    for row in rows:
        writer.writerow([row.code, row.name, row.telegram or "", row.zalo or "", row.web])
    return out.getvalue()
