"""Composition: the command line and `serve`, the one place that wires `bot` and `api` together."""
