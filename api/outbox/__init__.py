"""Deliveries through an outbox table: stored in the same transaction as the change that causes
them, then sent (and retried) by the dispatcher, so nothing is lost across restarts."""
