"""Periodic work inside `serve`: outbox delivery, escalation of unattended leads, data retention."""
