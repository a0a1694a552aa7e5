"""What the bench reports: one :class:`Figure` per measurement, beside its raw baseline."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One measured figure: the service's ``value`` beside the database's own ``baseline``
    taken in the same run, their ``ratio``, the ``goal`` it is judged against, and a note
    saying what was measured."""

    name: str
    value: float | None
    unit: str
    baseline: float | None
    ratio: float | None
    goal: str
    note: str = ""

    def document(self) -> dict[str, Any]:
        """The figure as ``quarterly bench --format json`` prints it."""
        return asdict(self)


def failed_measurements(figures: list[Figure]) -> list[str]:
    """The figures whose value or baseline came out as 0 or is missing: a rate of 0 is a
    measurement that failed (nothing completed in its window), never a result."""
    return [
        figure.name
        for figure in figures
        if not figure.value or (figure.ratio is not None and not figure.baseline)
    ]


def ratio(value: float, baseline: float) -> float:
    """``value / baseline`` to three places; 0 when there is no baseline (a failed one)."""
    return round(value / baseline, 3) if baseline else 0.0
