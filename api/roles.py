"""Account roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # manages accounts, sees deliveries and the audit log
    INTAKE = "intake"  # the bot (or another front door) that creates leads for people
    COMMUNE_POLICE = "commune_police"  # one commune's police officer
    BANK = "bank"  # an NHCSXH office, for the communes it serves
    AGENCY = "agency"  # a body that receives deadline reminders
    COORDINATOR = "coordinator"  # the provincial coordinator (PC10): province-wide read
    # A prison or commune officer who screens a person without a phone in the console and makes the
    # referral for them (issue 19); sees only the referrals it made.
    INTAKE_OFFICER = "intake_officer"


# Roles that work only in the staff console (signed in with a one-time link): no API token is issued
# to them, and a token such an account holds from before (accounts made before 2026-12-02) is refused.
# The intake officer types referrals in at a desk; no API route serves it (docs/assisted-intake.md).
CONSOLE_ONLY_ROLES = frozenset({Role.INTAKE_OFFICER})

# Roles whose accounts are tied to communes, and how many they must have.
# An intake officer with no commune works in a prison (any commune of the province); with some, only
# for those communes.
COMMUNE_COUNT = {Role.COMMUNE_POLICE: (1, 1), Role.BANK: (1, 10_000), Role.INTAKE_OFFICER: (0, 10_000)}
