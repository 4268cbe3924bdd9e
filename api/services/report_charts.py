"""Charts of the implementation report and of the console's targets page, as PNG bytes (matplotlib,
Agg backend: no display, no outside asset). Vietnamese labels: DejaVu Sans, which matplotlib carries,
has every Vietnamese letter."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Quiet, print-friendly colours (a report is often printed in black and white: bars also differ by hatch).
BLUE, ORANGE, GREY, GREEN = "#1f4e79", "#c55a11", "#a6a6a6", "#548235"
DPI = 150


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None


def _figure(width: float, height: float) -> Figure:
    # The object-oriented API only (no pyplot): no global state shared between threads.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _style(ax: object) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def monthly_bars(
    title: str,
    months: Sequence[str],
    persons: Sequence[int],
    businesses: Sequence[int],
    person_label: str,
    business_label: str,
) -> bytes:
    """Referrals received per month, persons and businesses side by side."""
    from matplotlib.ticker import MaxNLocator

    figure = _figure(6.3, 2.8)
    ax = figure.add_subplot()
    _style(ax)
    positions = range(len(months))
    ax.bar([p - 0.2 for p in positions], persons, width=0.4, color=BLUE, label=person_label)
    ax.bar(
        [p + 0.2 for p in positions], businesses, width=0.4, color=ORANGE, hatch="//", label=business_label
    )
    ax.set_xticks(list(positions), [m[5:] + "/" + m[:4] for m in months])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    return _png(figure)


def horizontal_bars(
    title: str, bars: Sequence[Bar], value_label: str, target_label: str | None = None
) -> bytes:
    """One bar per row (a status, a commune), with its target as a mark when it has one."""
    from matplotlib.ticker import MaxNLocator

    rows = list(bars) or [Bar("—", 0)]
    figure = _figure(6.3, min(9.0, 0.9 + 0.28 * len(rows)))
    ax = figure.add_subplot()
    _style(ax)
    positions = list(range(len(rows)))[::-1]  # first row on top
    colours = [GREEN if b.target is not None and b.value >= b.target else BLUE for b in rows]
    ax.barh(positions, [b.value for b in rows], color=colours, height=0.6, label=value_label)
    targets = [(p, b.target) for p, b in zip(positions, rows, strict=True) if b.target is not None]
    if targets:
        ax.scatter(
            [t for _, t in targets],
            [p for p, _ in targets],
            marker="|",
            s=200,
            color=ORANGE,
            linewidths=2,
            label=target_label,
            zorder=3,
        )
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    for position, bar in zip(positions, rows, strict=True):
        ax.annotate(
            f"{bar.value:g}",
            (bar.value, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(positions, [b.label for b in rows])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max([b.value for b in rows] + [b.target or 0 for b in rows] + [1]) * 1.15)
    ax.set_title(title, fontsize=10)
    return _png(figure)


def met_pie(title: str, met: int, not_met: int, met_label: str, not_met_label: str) -> bytes:
    """How many communes reached their target, how many not yet."""
    figure = _figure(3.2, 2.6)
    ax = figure.add_subplot()
    values = [met, not_met] if met + not_met else [0, 1]
    ax.pie(
        values,
        colors=[GREEN, GREY],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.45, "edgecolor": "white"},
    )
    ax.text(0, 0, f"{met}/{met + not_met}", ha="center", va="center", fontsize=12, weight="bold")
    ax.legend(
        [f"{met_label} ({met})", f"{not_met_label} ({not_met})"],
        fontsize=7,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.02),
        ncol=2,
    )
    ax.set_title(title, fontsize=10)
    return _png(figure)
