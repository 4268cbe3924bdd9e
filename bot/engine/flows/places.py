"""Where to go: the commune police and the bank's office for the person's commune."""

from __future__ import annotations

from bot.engine.callbacks import data
from bot.engine.common import menu_button, nav_row
from bot.engine.errors import StaleButton
from bot.engine.flows import communes, faq, status
from bot.engine.flows.menu import show_menu
from bot.engine.replies import Button
from bot.engine.turn import Turn
from content.communes.official import ward

FLOW = "where"


def start(turn: Turn, other: bool = False) -> None:
    known = turn.state.get("commune")
    if isinstance(known, str) and not other and ward(known) is not None:
        show(turn, known)
        return
    turn.start_flow(FLOW, step="commune")
    turn.say(communes.question(turn), [nav_row(turn, back=False)])


def prompt(turn: Turn) -> None:
    flow = turn.flow or {}
    if flow.get("step") == "pick":
        rows = communes.choice_rows(turn, "wc", flow.get("cands", []))
        turn.say(communes.choice_text(turn), [*rows, nav_row(turn)])
    else:
        turn.say(communes.question(turn), [nav_row(turn, back=False)])


def on_text(turn: Turn, text: str) -> None:
    if communes.out_of_area(turn, text):
        turn.end_flow()  # no loop: the answer is complete; the menu lets them go on
        show_menu(turn)
        return
    found = communes.find(turn, text)
    if not found:
        if faq.answer(turn, text, in_flow=True) == "fallback":
            turn.say(communes.not_found(turn))
        prompt(turn)
        return
    if len(found) == 1:
        show(turn, found[0][0])
        return
    turn.start_flow(FLOW, step="pick", cands=found)
    prompt(turn)


def on_press(turn: Turn, code: str) -> None:
    if code == "other":
        start(turn, other=True)
        return
    flow = turn.flow
    if flow is None or flow.get("name") != FLOW:
        raise StaleButton()
    if code == "retype":
        turn.start_flow(FLOW, step="commune")
        prompt(turn)
        return
    picked = communes.chosen(flow.get("cands"), code)
    if picked is None:
        raise StaleButton()
    show(turn, picked[0])


def back(turn: Turn) -> None:
    flow = turn.flow or {}
    if flow.get("step") == "pick":
        turn.start_flow(FLOW, step="commune")
        prompt(turn)
    else:
        cancel(turn)


def cancel(turn: Turn) -> None:
    turn.end_flow()
    show_menu(turn)


def contacts_text(turn: Turn, code: str) -> str:
    """The commune's contacts card (address, tap-to-call phone, hours, free of charge), then how to
    reach a person."""
    lang = turn.lang
    return "\n".join(
        [status.contacts_card(turn, code), "", turn.services.content.deployment.reach_a_person.get(lang)]
    )


def show(turn: Turn, code: str) -> None:
    _ = turn._
    if turn.flow_name == FLOW:
        turn.end_flow()
    turn.state["commune"] = code
    rows: list[list[Button]] = [
        [Button(_("📍 Xã/phường khác"), data("wc", "other"))],
        [menu_button(turn)],
    ]
    turn.say(contacts_text(turn, code), rows)
