"""Load settings classes from the environment, turning a bad value into one clear message."""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings

S = TypeVar("S", bound=BaseSettings)


class SettingsError(Exception):
    """A setting in the environment has a bad value; the message names it."""


def load_settings(cls: type[S]) -> S:
    try:
        return cls()
    except ValidationError as err:
        lines = []
        for error in err.errors():
            name = ".".join(str(p) for p in error["loc"]) or "?"
            lines.append(f"setting {name}: {error['msg']} (got {error.get('input')!r})")
        raise SettingsError("\n".join(lines)) from None
