"""The seals of quarter closes as a terminal table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from application.audit import Seal


def print_seals(seals: list[Seal], console: Console) -> None:
    """One row per close; the digest is never wrapped, so it can be copied whole."""
    table = Table(title="Seals")
    for column in ("Year", "Quarter", "Closed at", "By", "Up to event", "Digest"):
        table.add_column(column, no_wrap=column == "Digest")
    for s in seals:
        table.add_row(
            s.year, s.quarter, s.closed_at, Text(s.actor or ""), str(s.sealed_position), s.digest
        )
    console.print(table)
