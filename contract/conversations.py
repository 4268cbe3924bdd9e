"""The bodies of the dialogue state the bot keeps in the API: `GET` answers `ConversationState`,
`PUT` sends `ConversationWrite` (the version read; a stale one is a 409) and answers the state as
stored. The state itself stays a JSON object here: its typed form is still to come."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ConversationState(BaseModel):
    state: dict[str, Any]
    version: int


class ConversationWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: dict[str, Any]
    version: int = Field(
        ge=0,
        le=2**31 - 1,  # the column's range: a larger number is no version (422, not a 500)
        description="the version read (opaque: it changes on every write); 0 for a new conversation",
    )
