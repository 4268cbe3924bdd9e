"""Extra API worker processes for `serve` on PostgreSQL (`BUOCMOI_API_WORKERS`).

Python runs one thread at a time per process, so one process uses at most one core. With
PostgreSQL, `serve` can start more processes that answer the same listening socket: they run the
API only. The bot and the background loop (outbox, escalation, reminders) stay in the first
process, which owns python-telegram-bot (design.md: several API workers, one bot process).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

# Set in a worker process's environment: the pid of the first process.
WORKER_ENV = "BUOCMOI_SERVE_WORKER"
PARENT_CHECK_SECONDS = 0.5


def is_worker() -> bool:
    return bool(os.environ.get(WORKER_ENV))


def listening_socket(host: str, port: int) -> socket.socket:
    """Each process listens on its own socket of the same port (SO_REUSEPORT): the kernel then
    spreads new connections evenly, where one shared socket lets the first process to wake up take
    most of them."""
    return socket.create_server((host, port), backlog=2048, reuse_port=True)


@contextlib.contextmanager
def api_workers(count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start `count` API-only `serve` processes; stop them when the block ends."""
    env = {**os.environ, WORKER_ENV: str(os.getpid())}
    workers = [subprocess.Popen([sys.executable, "-m", "buocmoi", "serve"], env=env) for _ in range(count)]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()


class ParentWatch:
    """Stops a worker's server when the first process is gone (even killed with SIGKILL), so no
    orphan keeps answering on the port. Plug `extension` into the app, then set `server`."""

    def __init__(self) -> None:
        self.server: uvicorn.Server | None = None

    @asynccontextmanager
    async def extension(self, _app: FastAPI) -> AsyncIterator[None]:
        # The first process's pid, as it said: this worker may finish starting after it died.
        parent = int(os.environ.get(WORKER_ENV, "0")) or os.getppid()

        async def watch() -> None:
            while os.getppid() == parent:
                await asyncio.sleep(PARENT_CHECK_SECONDS)
            if self.server is not None:
                self.server.should_exit = True

        task = asyncio.get_running_loop().create_task(watch(), name="exit-with-parent")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
