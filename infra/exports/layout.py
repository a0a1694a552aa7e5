"""How every rendering of the return lays it out: quarters in order, targets grouped by
theme in the order themes first appear, figures written as the published returns write
them. Shared by the HTML export and the CLI's terminal table."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from domain.calendar import QUARTERS
from projections.models import QuarterlyReturn, TargetLine

QUARTER_NAMES = [q.value for q in QUARTERS]


def number(value: Any) -> str:
    """A figure as the returns print it: thousands separated, at most two decimals, and
    nothing for no figure."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def by_theme(report: QuarterlyReturn) -> Iterable[tuple[str, list[TargetLine]]]:
    """The targets grouped by theme ("" for none), themes in the order they first appear."""
    order: dict[str, int] = {}
    for target in report.targets:
        order.setdefault(target.theme or "", len(order))
    ordered = sorted(report.targets, key=lambda t: order[t.theme or ""])
    for theme, targets in groupby(ordered, key=lambda t: t.theme or ""):
        yield theme, list(targets)


# RAG as every document colours and names it: (background, text colour) with a contrast of
# at least 4.5:1 (black RAG: white text), and a word, so colour is never the only carrier.
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#00703C", "#FFFFFF"),
    "amber": ("#FFB000", "#0B0C0C"),
    "red": ("#D4351C", "#FFFFFF"),
    "black": ("#0B0C0C", "#FFFFFF"),
    "none": ("#E0E0E0", "#0B0C0C"),
}
RAG_LABELS: dict[str, str] = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "black": "Black (N/A)",
    "none": "Not assessed",
}
# Risk bands (score = impact x likelihood) as the register colours them.
BAND_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#00703C", "#FFFFFF"),
    "yellow": ("#FFDD00", "#0B0C0C"),
    "amber": ("#F47738", "#0B0C0C"),
    "red": ("#D4351C", "#FFFFFF"),
}


def rag_label(rag: str | None) -> str:
    """The word a RAG is printed as (``Not assessed`` for none or no RAG)."""
    return RAG_LABELS[rag or "none"]
