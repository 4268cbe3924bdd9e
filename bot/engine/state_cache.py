"""The state this process last wrote for each person, so the next turn need not read it back.

Only a hint: the runner still writes with the version it started from, and the API refuses the
write (409) when the conversation changed elsewhere meanwhile (another worker, a forgotten and
restarted conversation), after which the runner reads it and runs the event again. Entries expire
when a conversation goes quiet and their number is bounded: answers about a person stay in this
process's memory no longer than the conversation lasts.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from bot.api_client import Stored

QUIET_SECONDS = 600.0
MAX_PEOPLE = 5_000


class StateCache:
    def __init__(
        self,
        ttl: float = QUIET_SECONDS,
        limit: int = MAX_PEOPLE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._limit = limit
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Stored]] = OrderedDict()  # oldest write first

    def get(self, user: str) -> Stored | None:
        entry = self._entries.get(user)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[user]
            return None
        return entry[1]

    def put(self, user: str, stored: Stored) -> None:
        now = self._clock()
        self._entries[user] = (now + self._ttl, stored)
        self._entries.move_to_end(user)
        while self._entries:
            oldest, (expires, _stored) = next(iter(self._entries.items()))
            if len(self._entries) <= self._limit and expires > now:
                break
            del self._entries[oldest]

    def drop(self, user: str) -> None:
        self._entries.pop(user, None)

    def __len__(self) -> int:
        return len(self._entries)
