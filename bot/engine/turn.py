"""One turn of a conversation: the state being changed, the replies being gathered, the language."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from bot.engine.replies import Button, Outcome, Reply
from bot.engine.services import Services
from content.i18n import translator
from content.localized import Lang, parse_lang

Rows = Iterable[Sequence[Button]]
MAX_MESSAGE = 3500  # Telegram allows 4096 characters; keep a margin for safety


class Turn:
    def __init__(
        self, state: dict[str, Any], services: Services, user: str, lang_hint: str | None = None
    ) -> None:
        self.original = state
        self.state: dict[str, Any] = copy.deepcopy(state)
        self.services = services
        self.user = user
        self.lang_hint = lang_hint
        self.replies: list[Reply] = []
        self.forget = False

    # -- language --

    @property
    def lang(self) -> Lang:
        chosen = self.state.get("lang")
        return parse_lang(chosen if isinstance(chosen, str) else self.lang_hint)

    def _(self, message: str) -> str:
        return translator(self.lang)(message)

    # -- replies --

    def say(
        self,
        text: str,
        buttons: Rows = (),
        *,
        request_contact: str | None = None,
        numeric_input: bool = False,
    ) -> None:
        rows = tuple(tuple(row) for row in buttons if row)
        if request_contact is not None:
            # The reply keyboard sends a button's label as text: remember what each label means.
            self.state["kb"] = {b.label: b.data for row in rows for b in row}
        chunks = _split(text.strip(), MAX_MESSAGE)
        for chunk in chunks[:-1]:
            self.replies.append(Reply(chunk))
        self.replies.append(
            Reply(chunks[-1], rows, request_contact=request_contact, numeric_input=numeric_input)
        )

    # -- the current flow (screening, referral, ...) --

    @property
    def flow(self) -> dict[str, Any] | None:
        flow = self.state.get("flow")
        return flow if isinstance(flow, dict) else None

    @property
    def flow_name(self) -> str | None:
        flow = self.flow
        return str(flow.get("name")) if flow else None

    def start_flow(self, name: str, **data: Any) -> dict[str, Any]:
        flow: dict[str, Any] = {"name": name, **data}
        self.state["flow"] = flow
        return flow

    def end_flow(self) -> None:
        self.state.pop("flow", None)

    def outcome(self) -> Outcome:
        if self.forget:
            return Outcome(None, self.replies)
        if "kb" in self.state and not any(r.request_contact for r in self.replies):
            # Any answer that does not show the contact keyboard again takes it away; a message
            # with inline buttons cannot also remove a keyboard, so a plain one carries it.
            self.state.pop("kb", None)
            self._remove_keyboard()
        return Outcome(self.state, self.replies)

    def _remove_keyboard(self) -> None:
        for index, reply in enumerate(self.replies):
            if not reply.buttons:
                self.replies[index] = Reply(reply.text, remove_keyboard=True)
                return
        self.replies.insert(0, Reply(self._("Đã nhận."), remove_keyboard=True))


def _split(text: str, limit: int) -> list[str]:
    """Long text in pieces of at most `limit` characters, cut at line ends where possible."""
    if len(text) <= limit:
        return [text or "…"]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces
