"""All content, loaded and validated once per process.

Each domain module (deployment, faq, screening, deadlines, ...) exposes
`load(root, problems) -> Model | None`; this module gathers them, so `buocmoi content check`
and `serve` report every problem of every file at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from content import deadlines, deployment, exports, faq, leads, reminders, screening
from content.communes import offices
from content.problems import ContentError, Problem
from content.source import content_dir


@dataclass(frozen=True)
class Content:
    deployment: deployment.Deployment
    deadlines: deadlines.DeadlineBook
    offices: offices.Offices
    screening: screening.ScreeningContent
    leads: leads.LeadsContent
    monthly_list: exports.MonthlyListLayout
    faq: faq.Faq
    reminders: reminders.RemindersContent


def check_content(root: Path | None = None) -> tuple[Content | None, list[Problem]]:
    """Load every content file under `root`; return the content (if whole) and all problems."""
    root = root or content_dir()
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), "", "content folder does not exist")]
    loaded_deployment = deployment.load(root, problems)
    province = loaded_deployment.province_code if loaded_deployment else None
    # One line per domain: each reports its own problems; all are loaded even if one fails.
    parts = {
        "deployment": loaded_deployment,
        "deadlines": deadlines.load(root, problems),
        "offices": offices.load(root, problems, province),
        "screening": screening.load(root, problems),
        "leads": leads.load(root, problems),
        "monthly_list": exports.load(root, problems),
        "faq": faq.load(root, problems),
        "reminders": reminders.load(root, problems),
    }
    if problems or any(part is None for part in parts.values()):
        return None, problems
    return Content(**parts), problems  # type: ignore[arg-type]


@lru_cache(maxsize=4)
def _load_cached(root: Path) -> Content:
    content, problems = check_content(root)
    if content is None or problems:
        raise ContentError(problems)
    return content


_LOADING = threading.Lock()
# Loaded content by the path as asked for, so the hot path (every request) needs no file system call.
_LOADED: dict[Path, Content] = {}


def get_content(root: Path | None = None) -> Content:
    """The process-wide content; raises `ContentError` listing every problem. Loaded once: callers
    that arrive while it loads wait for that load instead of parsing every file again."""
    asked = root or content_dir()
    loaded = _LOADED.get(asked)
    if loaded is not None:
        return loaded
    with _LOADING:
        loaded = _load_cached(asked.resolve())
        _LOADED[asked] = loaded
        return loaded


def clear_cache() -> None:
    with _LOADING:
        _LOADED.clear()
        _load_cached.cache_clear()
