"""What a person can do with a screening result: send it to an officer, or be reminded later."""

from __future__ import annotations

from datetime import date

from bot.api_client import ApiError
from bot.engine.errors import StaleButton
from bot.engine.flows import referral
from bot.engine.flows.screening import result_rows
from bot.engine.turn import Turn


async def on_press(turn: Turn, arg: str) -> None:
    if arg == "send":
        referral.start(turn)
    elif arg == "remind":
        await remind(turn)
    else:
        raise StaleButton()


async def remind(turn: Turn) -> None:
    _ = turn._
    result = turn.state.get("result")
    remind_on = result.get("remind_on") if isinstance(result, dict) else None
    if not isinstance(result, dict) or not isinstance(remind_on, str):
        raise StaleButton()
    day = date.fromisoformat(remind_on)
    shown = day.isoformat() if turn.lang == "en" else day.strftime("%d/%m/%Y")
    try:
        await turn.services.api.create_followup(
            {
                "channel": turn.services.channel,
                "channel_user": turn.user,
                "kind": "after_release",
                "remind_on": remind_on,
                "lang": turn.lang,
            }
        )
    except ApiError as err:
        if err.status not in (404, 422):
            raise
        turn.say(
            _("Xin lỗi, Bước Mới chưa đặt được lời nhắc. Bạn hãy quay lại Bước Mới sau ngày {day}.").format(
                day=shown
            ),
            result_rows(turn),
        )
        return
    result["reminder"] = True
    turn.say(
        _(
            "Được. Ngày {day}, Bước Mới sẽ nhắn cho bạn một lời nhắc ngắn. Lời nhắc không ghi điều gì "
            "riêng tư. Khi đó bạn kiểm tra lại điều kiện và gửi yêu cầu nếu muốn."
        ).format(day=shown),
        result_rows(turn),
    )
