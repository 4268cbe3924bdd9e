"""The overall pace of Telegram sends (api/outbox/pacing.py): evenly spaced, and a stalled event
loop does not release the delayed sends in one burst."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from api.outbox.pacing import Pacer


async def _send_times(pacer: Pacer, count: int, stall_after: int | None = None) -> list[float]:
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def send() -> None:
        await pacer.wait()
        times.append(loop.time())
        if len(times) == stall_after:
            time.sleep(0.15)  # the whole loop stops, as under a burst of CPU work

    await asyncio.gather(*(send() for _ in range(count)))
    return sorted(times)


def _gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in pairwise(times)]


async def test_sends_are_spaced_by_the_interval() -> None:
    pacer = Pacer(per_second=20, tolerance=0.02)
    times = await _send_times(pacer, 40)
    gaps = _gaps(times)
    assert min(gaps) >= pacer.interval - pacer.tolerance
    assert times[-1] - times[0] >= 39 * pacer.interval


async def test_a_stalled_loop_does_not_release_a_burst() -> None:
    pacer = Pacer(per_second=20, tolerance=0.02)
    times = await _send_times(pacer, 40, stall_after=10)
    gaps = _gaps(times)
    # The sends whose slots passed during the stall took new slots instead of going out together.
    assert min(gaps) >= pacer.interval - pacer.tolerance
    assert max(gaps) >= 0.15
