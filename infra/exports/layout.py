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
