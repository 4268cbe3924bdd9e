"""Who the texts speak of: the reader, or the family member the reader asks for ("on behalf").

A mother asking for her son must not read "bạn có thể đủ điều kiện" or "thông tin của bạn". Every
text shown after the family choice has its own message id (third person: "người nhà của bạn"), and
the one choice between the two wordings is made here, from the conversation state.
"""

from __future__ import annotations

from bot.engine.turn import Turn
from bot.understanding.who import FAMILY  # the value the screening flow and its result carry under "for"
from contract.leads import LeadPublic

SCREENING = "screening"  # the screening flow's name (bot.engine.flows.screening.FLOW, which imports this)


def on_behalf(turn: Turn) -> bool:
    """True while screening for a family member, and for the result (and referral) that follows."""
    flow = turn.flow or {}
    if flow.get("name") == SCREENING:
        return flow.get("for") == FAMILY
    result = turn.state.get("result")
    return isinstance(result, dict) and result.get("for") == FAMILY


def pick(turn: Turn, own: str, relative: str) -> str:
    """`relative` when the conversation is on behalf of a family member, else `own` (unchanged)."""
    return relative if on_behalf(turn) else own


def lead_on_behalf(lead: LeadPublic) -> bool:
    """The same choice for a sent referral, from the lead's own `on_behalf`: the state's last result
    may be a newer screening, for someone else."""
    return lead.on_behalf
