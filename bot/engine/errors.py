"""Signals from a flow to the engine's dispatcher."""


class StaleButton(Exception):
    """A button that does not belong to the current step (an old message, an earlier question)."""
