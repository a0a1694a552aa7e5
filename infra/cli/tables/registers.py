"""The milestone tracker and the risk register as terminal tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from projections.models import MilestoneLine, RiskLine

BAND_STYLES = {"green": "green", "yellow": "yellow", "amber": "dark_orange", "red": "red"}


def print_milestones(milestones: list[MilestoneLine], console: Console) -> None:
    """Every milestone with its slippage: red when later than first planned."""
    table = Table(title="Milestones")
    for column in (
        "Project",
        "Milestone",
        "Due",
        "Current due",
        "Slippage (days)",
        "Revisions",
        "Completed",
    ):
        table.add_column(column)
    for m in milestones:
        slip = m.slippage_days
        style = "red" if slip > 0 else "green" if slip < 0 else ""
        table.add_row(
            Text(m.project),
            Text(m.milestone),
            m.due,
            m.current_due,
            f"[{style}]{slip:+d}[/]" if style else "0",
            str(len(m.revisions)),
            m.completed_on or "",
        )
    console.print(table)


def print_risks(risks: list[RiskLine], console: Console) -> None:
    """The register with each risk's score and band in the band's colour."""
    table = Table(title="Strategic risk register")
    for column in ("Ref", "Risk", "Impact", "Likelihood", "Score", "Band"):
        table.add_column(column)
    for r in risks:
        table.add_row(
            Text(r.ref),
            Text(r.title or ""),
            str(r.impact),
            str(r.likelihood),
            str(r.score),
            f"[{BAND_STYLES[r.band]}]{r.band}[/]",
        )
    console.print(table)
