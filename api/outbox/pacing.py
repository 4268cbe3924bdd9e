"""Even spacing of sends for Telegram's overall limit (about 30 messages a second per bot).

Each caller reserves the next free slot on a fixed grid (`interval` apart) and sleeps until it.
Slots follow from the previous slot, not from when a sleeper happened to wake, so the event loop's
wake-up lateness (a millisecond or so each time, more on a busy machine) does not add up into a
lower rate, as it does with a leaky bucket of one. A caller that wakes later than `tolerance` past its
slot takes a new one instead of sending at once: otherwise sends delayed by a stall would go out
bunched together, and a one-second window could hold more than the limit.
"""

from __future__ import annotations

import asyncio

# With 29 slots a second (the dispatcher's pace), 31 sends span at least 1.034 s: 5 ms of
# that for a late wake, the rest for the time a send takes to reach Telegram.
DEFAULT_TOLERANCE_SECONDS = 0.005
MAX_LATE_WAKES = 3


class Pacer:
    def __init__(self, per_second: float, tolerance: float = DEFAULT_TOLERANCE_SECONDS) -> None:
        self.interval = 1.0 / per_second
        self.tolerance = tolerance
        self._next_slot = 0.0

    async def wait(self) -> None:
        """Return at this caller's slot (within `tolerance`)."""
        loop = asyncio.get_running_loop()
        for _ in range(MAX_LATE_WAKES):
            now = loop.time()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)
            if loop.time() - slot <= self.tolerance:
                return
