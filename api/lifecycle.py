"""The life of a lead: which status may follow which, and who may make each step.

new → received → (contacted →) listed → sent_to_bank → approved → disbursed; from any open status a
lead may be declined (with a reason from the fixed list) or withdrawn by the person. No skipping:
nothing reaches `disbursed` without passing every step before it.
"""

from __future__ import annotations

from api.roles import Role

OPEN = ("new", "received", "contacted", "listed", "sent_to_bank", "approved")
CLOSED = ("disbursed", "declined", "withdrawn")

FORWARD: dict[str, frozenset[str]] = {
    "new": frozenset({"received"}),
    "received": frozenset({"contacted", "listed"}),
    "contacted": frozenset({"listed"}),
    "listed": frozenset({"sent_to_bank"}),
    "sent_to_bank": frozenset({"approved"}),
    "approved": frozenset({"disbursed"}),
}

# Who may move a lead into each status (the admin reads no referral, so moves none).
MAY_SET: dict[str, frozenset[Role]] = {
    "received": frozenset({Role.COMMUNE_POLICE}),
    "contacted": frozenset({Role.COMMUNE_POLICE}),
    "listed": frozenset({Role.COMMUNE_POLICE}),
    "sent_to_bank": frozenset({Role.COMMUNE_POLICE, Role.BANK}),
    "approved": frozenset({Role.BANK}),
    "disbursed": frozenset({Role.BANK}),
    "declined": frozenset({Role.COMMUNE_POLICE, Role.BANK}),
    # The person withdraws in the bot (intake), or tells their officer, who records it.
    "withdrawn": frozenset({Role.INTAKE, Role.COMMUNE_POLICE}),
}


class TransitionError(Exception):
    def __init__(self, status_code: int, message: str) -> None:
        self.status_code = status_code
        super().__init__(message)


def next_statuses(current: str) -> list[str]:
    """What may follow `current` (for buttons), in lifecycle order."""
    if current not in OPEN:
        return []
    return [*sorted(FORWARD.get(current, frozenset()), key=_order), "declined", "withdrawn"]


def _order(status: str) -> int:
    return (OPEN + CLOSED).index(status)


def check_transition(current: str, target: str, role: Role, reason: str | None, reasons: list[str]) -> None:
    """Raise `TransitionError` (403, 409 or 422) unless `role` may move a lead from current to target."""
    if target not in OPEN + CLOSED or target == "new":
        raise TransitionError(422, f"unknown target status {target!r}")
    if role not in MAY_SET.get(target, frozenset()):
        raise TransitionError(403, f"role {role.value} may not set status {target}")
    if current in CLOSED:
        raise TransitionError(409, f"the lead is closed ({current})")
    if target not in ("declined", "withdrawn") and target not in FORWARD.get(current, frozenset()):
        raise TransitionError(409, f"cannot go from {current} to {target}")
    if target == "declined":
        if not reason:
            raise TransitionError(422, "a decline needs a reason")
        if reason not in reasons:
            raise TransitionError(422, f"unknown decline reason {reason!r}; use one of {', '.join(reasons)}")
