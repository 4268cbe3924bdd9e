"""Who is acting on a request (resolved from the bearer token by `api.deps`)."""

from __future__ import annotations

from dataclasses import dataclass

from api.models import Account
from api.roles import Role


@dataclass(frozen=True)
class Actor:
    """Who is acting: the account, its role and communes; `via` is the intake (bot) account when
    the bot acts for an officer linked to a Telegram chat."""

    account: Account
    role: Role
    communes: tuple[str, ...]
    via: Account | None = None

    @property
    def id(self) -> int:
        assert self.account.id is not None
        return self.account.id
