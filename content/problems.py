"""A content problem names the file, the place inside it, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the content folder, e.g. "faq/overview.yaml"
    place: str  # dotted path inside the file, e.g. "answer.km", or "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(report(problems))


def report(problems: list[Problem]) -> str:
    lines = [f"{len(problems)} content problem(s):"]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)
