"""Finding the commune a person lives in from what they type (new name, old address, no diacritics)."""

from __future__ import annotations

from bot.engine import relative
from bot.engine.callbacks import data
from bot.engine.replies import Button
from bot.engine.turn import Turn
from bot.understanding.places import elsewhere

MAX_CANDIDATES = 6
MAX_TEXT = 200


def find(turn: Turn, text: str) -> list[list[str]]:
    """[[code, name], ...] best first (at most a few), [] when nothing fits."""
    found = turn.services.communes(text[:MAX_TEXT], turn.services.province)
    return [[c.code, c.name] for c in found[:MAX_CANDIDATES]]


def question(turn: Turn) -> str:
    _ = turn._
    return relative.pick(
        turn,
        _(
            "Bạn đang sống ở xã/phường nào? Gõ tên xã/phường mới, hoặc địa chỉ cũ trước năm 2025 "
            "(ví dụ: xã Đại Tâm, Mỹ Xuyên). Không dấu cũng được."
        ),
        _(
            "Người nhà của bạn đang sống ở xã/phường nào? Gõ tên xã/phường mới, hoặc địa chỉ cũ "
            "trước năm 2025 (ví dụ: xã Đại Tâm, Mỹ Xuyên). Không dấu cũng được."
        ),
    )


def not_found(turn: Turn) -> str:
    _ = turn._
    return _(
        "Mình chưa tìm thấy xã/phường này. Bạn gõ lại tên xã/phường, có thể kèm huyện cũ, "
        "ví dụ: xã Đại Tâm, Mỹ Xuyên."
    )


def choice_text(turn: Turn) -> str:
    _ = turn._
    return relative.pick(
        turn,
        _("Bạn ở xã/phường nào trong các nơi sau?"),
        _("Người nhà của bạn ở xã/phường nào trong các nơi sau?"),
    )


def choice_rows(turn: Turn, kind: str, candidates: list[list[str]]) -> list[list[Button]]:
    rows = [[Button(name, data(kind, code))] for code, name in candidates]
    rows.append([Button(turn._("✏️ Gõ lại"), data(kind, "retype"))])
    return rows


def chosen(candidates: object, code: str) -> list[str] | None:
    if not isinstance(candidates, list):
        return None
    for item in candidates:
        if isinstance(item, list) and len(item) == 2 and item[0] == code:
            return [str(item[0]), str(item[1])]
    return None


def out_of_area(turn: Turn, text: str) -> bool:
    """An address in another province: say once what this service covers and what to do there
    (rather than asking for the commune again and again); False when the text names no other province."""
    _ = turn._
    other = elsewhere(text[:MAX_TEXT], turn.services.province)
    if other is None:
        return False
    home = turn.services.content.deployment.province_name.get(turn.lang)
    turn.say(
        _(
            "Bước Mới hiện chỉ phục vụ người sống ở {home}. Bạn ở {other}: chính sách vay vốn này áp "
            "dụng cả nước, bạn hãy đến Công an xã/phường nơi bạn đang ở (để có tên trong danh sách đề "
            "nghị vay) và điểm giao dịch Ngân hàng Chính sách xã hội của xã/phường đó (thường họp tại "
            "UBND xã) để được hướng dẫn. Nếu bạn đang sống ở {home}, hãy gõ tên xã/phường của bạn."
        ).format(home=home, other=other)
    )
    return True
