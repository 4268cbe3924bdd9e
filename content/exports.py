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


class DocumentTexts(BaseModel):
    """The frame of the list as an administrative document (Nghị định 30/2020/NĐ-CP)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    motto: Localized
    motto_sub: Localized
    parent_unit: Localized
    issuer: Localized
    period: Localized
    version: Localized
    draft: Localized
    addressee: Localized
    addressee_unknown: Localized
    place_date: Localized
    unconfirmed: Localized
    confirmed: Localized
    total: Localized
    maker: Localized
    police_head: Localized
    committee: Localized
    sign_hint: Localized
    stamp_hint: Localized
    change_note: Localized
    caption: Localized


class MonthlyListLayout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    # False until the province checks the columns against the text of Mẫu số 01 (not available).
    columns_confirmed: bool = False
    document: DocumentTexts
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
