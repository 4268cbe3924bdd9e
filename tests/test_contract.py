"""The contract both sides share: button data (built by the API, read by the bot) and error bodies."""

from __future__ import annotations

import pytest

from contract import buttons


def test_buttons_round_trip() -> None:
    assert buttons.lead_button(42, "view") == "ld|42|view"
    assert buttons.parse(buttons.lead_button("42", "approved")) == buttons.Callback("ld", ("42", "approved"))
    assert buttons.reminder_done("monthly_list", "2026-03") == "rm|monthly_list|2026-03|done"
    assert buttons.parse("rm|monthly_list|2026-03|done") == buttons.Callback("rm", ("monthly_list", "2026-03"))
    assert buttons.parse(buttons.data("lang", "km")) == buttons.Callback("lang", ("km",))
    for foreign in ["rm|a|b|undo", "ld|1", "ld||view", "x|y", ""]:
        assert buttons.parse(foreign) is None


def test_buttons_refuse_what_telegram_or_parse_would_break() -> None:
    with pytest.raises(ValueError):
        buttons.lead_button("1" * 60, "view")  # over 64 bytes
    with pytest.raises(ValueError):
        buttons.data("t", "a|b")  # would read back as two arguments
    with pytest.raises(ValueError):
        buttons.lead_button("", "view")
