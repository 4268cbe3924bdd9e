"""Signals from a flow to the engine's dispatcher, and how an error is named in a log."""

from __future__ import annotations

import traceback
from pathlib import PurePosixPath


class StaleButton(Exception):
    """A button that does not belong to the current step (an old message, an earlier question)."""


def where(err: BaseException) -> str:
    """file:line of the innermost frame: enough to find a bug, never any personal data."""
    frames = traceback.extract_tb(err.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{PurePosixPath(frame.filename).name}:{frame.lineno}"
