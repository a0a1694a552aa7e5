"""API tokens as a terminal table (never a secret: the use case does not return them)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


def print_tokens(tokens: list[dict[str, Any]], console: Console) -> None:
    """Every token with its role, team, creation day and whether it is revoked."""
    table = Table(title="API tokens")
    for column in ("Name", "Role", "Team", "Created", "Revoked"):
        table.add_column(column)
    for t in tokens:
        table.add_row(
            Text(t["name"]),
            t["role"],
            Text(t["team"] or ""),
            t["created"],
            "yes" if t["revoked"] else "",
        )
    console.print(table)
