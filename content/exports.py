"""The monthly list's layout (Mẫu số 01) as data, so a province can match its own form."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from content.localized import Localized, ReviewMeta
from content.problems import Problem
from content.source import load_model

FILE = "monthly_list.yaml"

ColumnId = Literal[
    "stt", "full_name", "birth_year", "gender", "residence", "release_date", "loan_need", "reference", "note"
]


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ColumnId
    header: Localized


class MonthlyListLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    title: Localized
    form_name: Localized
    columns: list[Column]
    purposes: dict[str, Localized]
    genders: dict[str, Localized]


def load(root: Path, problems: list[Problem]) -> MonthlyListLayout | None:
    layout = load_model(root, FILE, MonthlyListLayout, problems)
    if layout is not None and not layout.columns:
        problems.append(Problem(FILE, "columns", "the list needs at least one column"))
        return None
    return layout
