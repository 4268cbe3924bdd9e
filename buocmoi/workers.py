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
import select
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

# Set in a worker process's environment: the pid of the first process.
WORKER_ENV = "BUOCMOI_SERVE_WORKER"
# Set in a worker process's environment: the pipe on which it says it is ready to answer.
READY_FD_ENV = "BUOCMOI_SERVE_READY_FD"
PARENT_CHECK_SECONDS = 0.5
STARTUP_TIMEOUT_SECONDS = 180


def is_worker() -> bool:
    return bool(os.environ.get(WORKER_ENV))


def listening_socket(host: str, port: int) -> socket.socket:
    """Each process listens on its own socket of the same port (SO_REUSEPORT): the kernel then
    spreads new connections evenly, where one shared socket lets the first process to wake up take
    most of them."""
    return socket.create_server((host, port), backlog=2048, reuse_port=True)


@dataclass
class ApiWorkers:
    processes: list[subprocess.Popen[bytes]]
    ready_pipe: int

    def wait_until_ready(self, timeout: float = STARTUP_TIMEOUT_SECONDS) -> str | None:
        """Wait until every worker listens and has started its app; else say what went wrong.

        The first process answers (its /healthz included) only after this, so a client that
        sees the service up finds every process taking connections: otherwise keep-alive
        clients that connect at once all land on the first process while the others load."""
        ready, deadline = 0, time.monotonic() + timeout
        while ready < len(self.processes):
            stopped = [worker.returncode for worker in self.processes if worker.poll() is not None]
            if stopped:
                return f"an API worker stopped while starting (exit code {stopped[0]}); see above"
            if time.monotonic() > deadline:
                return f"the API workers did not start within {timeout:.0f} s"
            readable, _, _ = select.select([self.ready_pipe], [], [], PARENT_CHECK_SECONDS)
            if readable:
                ready += len(os.read(self.ready_pipe, 64))
        return None


def announce_ready() -> None:
    """In a worker: tell the first process this one is ready (see `ApiWorkers.wait_until_ready`)."""
    fd = os.environ.pop(READY_FD_ENV, "")
    if fd:
        os.write(int(fd), b"r")
        os.close(int(fd))


@contextlib.contextmanager
def api_workers(count: int) -> Iterator[ApiWorkers]:
    """Start `count` API-only `serve` processes; stop them when the block ends."""
    read_end, write_end = os.pipe()
    env = {**os.environ, WORKER_ENV: str(os.getpid()), READY_FD_ENV: str(write_end)}
    command = [sys.executable, "-m", "buocmoi", "serve"]
    workers = [subprocess.Popen(command, env=env, pass_fds=(write_end,)) for _ in range(count)]
    os.close(write_end)
    try:
        yield ApiWorkers(workers, read_end)
    finally:
        os.close(read_end)
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
        announce_ready()  # the app has started; the server takes connections next
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
