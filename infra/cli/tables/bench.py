"""The benchmark's figures as a terminal table.

Typed by what it reads of a figure, so that drawing them needs no import of the benchmark
package (which ``quarterly bench`` loads only when it runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.console import Console
from rich.table import Table


class Figure(Protocol):
    """What the table shows of one measurement."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def unit(self) -> str: ...
    @property
    def baseline(self) -> float | None: ...
    @property
    def ratio(self) -> float | None: ...
    @property
    def goal(self) -> str: ...
    @property
    def note(self) -> str: ...


def print_figures(figures: Sequence[Figure], title: str, console: Console) -> None:
    """Each figure beside its raw baseline, the ratio and the goal it is held to."""
    table = Table(title=title)
    for column in ("Figure", "Value", "Unit", "Baseline", "Ratio", "Goal", "Note"):
        table.add_column(column, ratio=2 if column in ("Figure", "Note") else 1)
    for f in figures:
        table.add_row(
            f.name,
            "–" if f.value is None else f"{f.value:,}",
            f.unit,
            "–" if f.baseline is None else f"{f.baseline:,}",
            "–" if f.ratio is None else f"{f.ratio}",
            f.goal,
            f.note,
        )
    console.print(table)
