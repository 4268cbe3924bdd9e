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


# Roles whose accounts are tied to communes, and how many they must have.
COMMUNE_COUNT = {Role.COMMUNE_POLICE: (1, 1), Role.BANK: (1, 10_000)}
