"""Structured (JSON-line) logs to standard error. Personal data never goes into a log record:
log ids and counts, not names, phones or message texts."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

from api.errors import safe_traceback

# Attributes every record has, plus uvicorn's ANSI-coloured copy of the message.
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        # Fields passed with `extra={...}` are kept as keys of their own.
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            # Frames and types only: an exception's message may quote personal data.
            entry["exc"] = safe_traceback(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("BUOCMOI_LOG_LEVEL", "INFO").upper())
    # httpx logs every request URL, and Telegram URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
