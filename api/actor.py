"""Who is acting on a request (resolved from the bearer token by `api.deps`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from api.models import Account
from api.roles import Role
from api.security import hash_secret


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


class AccountRevoked(Exception):
    """The account behind a request (possibly from `ActorCache`) was revoked before its write."""


class ActorCache:
    """Actors by token, for routes whose own transaction re-checks that the account is active.
    Bounded: the oldest entry goes first. Keys are token hashes, never tokens."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._actors: dict[str, Actor] = {}
        # The event loop and worker threads (a sync route's `refuse_revoked`) both change it.
        self._lock = threading.Lock()

    def get(self, token: str) -> Actor | None:
        return self._actors.get(hash_secret(token))

    def put(self, token: str, actor: Actor) -> None:
        key = hash_secret(token)
        with self._lock:
            if len(self._actors) >= self._size:
                self._actors.pop(next(iter(self._actors)), None)
            self._actors[key] = actor

    def forget(self, account_id: int) -> None:
        with self._lock:
            for key in [key for key, actor in self._actors.items() if actor.account.id == account_id]:
                self._actors.pop(key, None)
