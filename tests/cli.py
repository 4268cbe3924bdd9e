"""Run the real `buocmoi` command line in a subprocess, as a user or a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping


def run_cli(
    *args: str,
    stdin: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    cwd: str | None = None,
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "buocmoi", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
        cwd=cwd,
    )


def run_script(path: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """One of the repository's `scripts/` (relative `path`), run from the root as its usage says."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return subprocess.run(
        [sys.executable, path, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
        timeout=timeout,
        check=False,
        cwd=root,
    )
