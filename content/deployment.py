"""What one deployment sets without code: the province served, how to reach a person, time limits."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from content.localized import Localized, ReviewMeta
from content.problems import Problem
from content.source import load_model

FILE = "deployment.yaml"


class Deployment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: ReviewMeta = ReviewMeta()
    province_code: int = Field(ge=1, le=99)
    province_name: Localized
    # How a person reaches a human being; shown in fallbacks and by "talk to an officer".
    reach_a_person: Localized
    # Personal data of leads closed longer than this is anonymised (design.md: retention limits).
    retention_months: int = Field(default=24, ge=1, le=120)
    # A lead not received within this many working days is escalated to the coordinator.
    escalation_working_days: int = Field(default=2, ge=1, le=30)
    # A conversation nobody touched for this long is forgotten (its answers may be sensitive).
    conversation_retention_days: int = Field(default=90, ge=1, le=3650)


def load(root: Path, problems: list[Problem]) -> Deployment | None:
    return load_model(root, FILE, Deployment, problems)
