"""Agencies: the "done" button under a deadline reminder (`rm|<deadline id>|<period>|done`).

The API marks the period done for the account linked to this chat (`X-Acting-Chat`): no more
reminders for that period, and the coordinator's escalation no longer names it.
"""

from __future__ import annotations

import re

from bot.api_client import ApiError
from bot.engine.errors import StaleButton
from bot.engine.turn import Turn

_DEADLINE_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$")


async def on_done(turn: Turn, args: tuple[str, ...]) -> None:
    _ = turn._
    if len(args) != 2 or not _DEADLINE_ID.match(args[0]) or not _PERIOD.match(args[1]):
        raise StaleButton()
    deadline_id, period = args
    if not turn.services.linkable:
        raise StaleButton()
    try:
        mark = await turn.services.api.mark_done(deadline_id, period, turn.user)
    except ApiError as err:
        if err.status == 403:
            turn.say(_("Chat này chưa liên kết với tài khoản được giao việc này, nên chưa ghi nhận được."))
        elif err.status in (404, 422):
            turn.say(_("Nút này đã cũ; việc hoặc kỳ này không còn. Bạn xem nhắc việc mới nhất nhé."))
        else:
            raise
        return
    turn.say(str(mark.get("message") or _("✅ Đã ghi nhận hoàn thành.")))
