"""How every rendering of the return lays it out: quarters in order, targets grouped by
theme in the order themes first appear, figures written as the published returns write
them. Shared by the HTML export and the CLI's terminal table."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from typing import Any

from domain.calendar import QUARTERS
from projections.models import QuarterlyReturn, TargetLine

QUARTER_NAMES = [q.value for q in QUARTERS]


def _exact(value: int | float) -> Decimal:
    """A stored figure as the decimal it was written as (``str`` of a float is its shortest
    round-trip form: 1.005 stays 1.005), without trailing zeros (1e12 is 1000000000000)."""
    exact = Decimal(str(value))
    if exact == exact.to_integral_value():
        return exact.quantize(Decimal(1))
    return exact.normalize()


def decimals(value: Any) -> int:
    """How many decimals ``value`` was stored with (0 for whole numbers and for text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    exponent = _exact(value).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def number(value: Any) -> str:
    """A figure as the returns print it: thousands separated and every decimal it was
    stored with (0.001 is 0.001, 1.005 is 1.005, never rounded), nothing for no figure.
    Used by the terminal table, the HTML and PDF pack and the HTML export alike."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return format(_exact(value), ",f")


def number_format(value: Any) -> str:
    """The spreadsheet number format that shows ``value`` as ``number`` does: ``#,##0``,
    or ``#,##0.000`` with exactly its stored decimals."""
    places = decimals(value)
    return "#,##0" + ("." + "0" * places if places else "")


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
