"""Text in every language the service speaks: Vietnamese first, Khmer and English beside it."""

from __future__ import annotations

import string
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, field_validator

from content.problems import Problem

Lang = Literal["vi", "en", "km"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "vi"


def parse_lang(value: str | None) -> Lang:
    """Map any language tag (e.g. Telegram's "km-KH") to one we speak, defaulting to Vietnamese."""
    if value:
        head = value.replace("_", "-").split("-")[0].lower()
        for lang in LANGS:
            if head == lang:
                return lang
    return DEFAULT_LANG


class Localized(BaseModel):
    """One text in vi, en and km. Khmer that we wrote ourselves is flagged for native review
    at file level (see `ReviewMeta`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vi: str
    en: str
    km: str

    @field_validator("vi", "en", "km")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def get(self, lang: str) -> str:
        text: str = getattr(self, parse_lang(lang))
        return text


class ReviewMeta(BaseModel):
    """Marks which languages in a file still await review by a native speaker."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    km_review: Literal["pending", "done"] = "pending"
    note: str = ""


def check_placeholders(
    text: Localized, allowed: frozenset[str], file: str, place: str, problems: list[Problem]
) -> None:
    """Report each language whose `{placeholders}` are malformed or not in `allowed`: wording a
    deployment edits must not break when a message is sent."""
    for lang in LANGS:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text.get(lang)) if name is not None}
        except ValueError as err:
            problems.append(Problem(file, f"{place}.{lang}", f"bad placeholder: {err}"))
            continue
        unknown = names - allowed
        if unknown:
            problems.append(
                Problem(
                    file,
                    f"{place}.{lang}",
                    f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(allowed) or 'none'}",
                )
            )
