"""The life of a lead: which status may follow which, and who may make each step.

new → received → (contacted →) listed → sent_to_bank → approved → disbursed; from any open status a
lead may be declined (with a reason from the fixed list) or withdrawn by the person. No skipping:
nothing reaches `disbursed` without passing every step before it.

A business (`applicant == "business"`) has its own path, all of it the bank's (NHCSXH lends to it
directly; the commune police list is for persons only): new → received → plan_confirmed (UBND xã
confirmed its loan plan, Mẫu số 02) → approved → disbursed, or declined / withdrawn.
"""

from __future__ import annotations

from api.roles import Role

OPEN = ("new", "received", "contacted", "listed", "sent_to_bank", "plan_confirmed", "approved")
CLOSED = ("disbursed", "declined", "withdrawn")

FORWARD: dict[str, frozenset[str]] = {
    "new": frozenset({"received"}),
    "received": frozenset({"contacted", "listed"}),
    "contacted": frozenset({"listed"}),
    "listed": frozenset({"sent_to_bank"}),
    "sent_to_bank": frozenset({"approved"}),
    "approved": frozenset({"disbursed"}),
}

BUSINESS_FORWARD: dict[str, frozenset[str]] = {
    "new": frozenset({"received"}),
    "received": frozenset({"plan_confirmed"}),
    "plan_confirmed": frozenset({"approved"}),
    "approved": frozenset({"disbursed"}),
}
BUSINESS_MAY_SET: dict[str, frozenset[Role]] = {
    "received": frozenset({Role.BANK}),
    "plan_confirmed": frozenset({Role.BANK}),
    "approved": frozenset({Role.BANK}),
    "disbursed": frozenset({Role.BANK}),
    "declined": frozenset({Role.BANK}),
    "withdrawn": frozenset({Role.INTAKE, Role.BANK}),
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


def forward_of(applicant: str) -> dict[str, frozenset[str]]:
    return BUSINESS_FORWARD if applicant == "business" else FORWARD


def may_set_of(applicant: str) -> dict[str, frozenset[Role]]:
    return BUSINESS_MAY_SET if applicant == "business" else MAY_SET


def next_statuses(current: str, applicant: str = "person") -> list[str]:
    """What may follow `current` (for buttons), in lifecycle order."""
    if current not in OPEN:
        return []
    forward = forward_of(applicant).get(current, frozenset())
    return [*sorted(forward, key=_order), "declined", "withdrawn"]


def _order(status: str) -> int:
    return (OPEN + CLOSED).index(status)


def check_transition(
    current: str, target: str, role: Role, reason: str | None, reasons: list[str], applicant: str = "person"
) -> None:
    """Raise `TransitionError` (403, 409 or 422) unless `role` may move a lead from current to target."""
    if target not in OPEN + CLOSED or target == "new":
        raise TransitionError(422, f"unknown target status {target!r}")
    if role not in may_set_of(applicant).get(target, frozenset()):
        raise TransitionError(403, f"role {role.value} may not set status {target}")
    if current in CLOSED:
        raise TransitionError(409, f"the lead is closed ({current})")
    if target not in ("declined", "withdrawn") and target not in forward_of(applicant).get(
        current, frozenset()
    ):
        raise TransitionError(409, f"cannot go from {current} to {target}")
    if target == "declined":
        if not reason:
            raise TransitionError(422, "a decline needs a reason")
        if reason not in reasons:
            raise TransitionError(422, f"unknown decline reason {reason!r}; use one of {', '.join(reasons)}")
