"""The loaded deadlines domain: both data files and the working-day calendar built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from content.deadlines.schema import Deadline, DeadlinesFile, TargetsFile
from content.deadlines.workdays import WorkingCalendar


@dataclass(frozen=True)
class DeadlineBook:
    schedule: DeadlinesFile
    targets: TargetsFile
    calendar: WorkingCalendar = field(compare=False)

    @property
    def deadlines(self) -> list[Deadline]:
        return self.schedule.deadlines

    def deadline(self, deadline_id: str) -> Deadline:
        for item in self.schedule.deadlines:
            if item.id == deadline_id:
                return item
        raise KeyError(deadline_id)
