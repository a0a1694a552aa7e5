"""The milestone tracker and the risk register as terminal tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.milestone_dates import MilestoneDate
from projections.models import MilestoneLine, ProjectLine, RiskAssessment, RiskLine

# Amber is "orange1" (amber in 256 colours, bright yellow in 16; "dark_orange" turns red).
BAND_STYLES = {"green": "green", "yellow": "yellow", "amber": "orange1", "red": "red"}
RAG_STYLES = {"green": "green", "amber": "orange1", "red": "red", "black": "bold"}
TRAVEL = {"up": "↑ worse", "down": "↓ better", "same": "→ same"}


def when(text: str | None) -> str:
    """A milestone date as a board reads it: ``Sep 2016`` for a month, ``11 Dec 2015``."""
    return MilestoneDate.parse(text, field="date").label() if text else ""


def rag_word(rag: str | None) -> Text:
    """A RAG as its word, in its colour (the word carries it without colour too)."""
    return Text(rag or "", style=RAG_STYLES.get(rag or "", ""))


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
        "Status",
        "RAG",
    ):
        table.add_column(column)
    for m in milestones:
        slip = m.slippage_days
        style = "red" if slip > 0 else "green" if slip < 0 else ""
        table.add_row(
            Text(m.project),
            Text(m.milestone),
            when(m.due),
            when(m.current_due),
            f"[{style}]{slip:+d}[/]" if style else "0",
            str(len(m.revisions)),
            when(m.completed_on),
            Text(m.status or ""),
            rag_word(m.rag),
        )
    console.print(table)


def print_projects(projects: list[ProjectLine], console: Console) -> None:
    """Each major project's status row, RAGs in their colours with their words."""
    table = Table(title="Major projects")
    for column in ("Project", "Overall", "Milestones", "Budget", "Risks", "Headline"):
        table.add_column(column)
    for p in projects:
        table.add_row(
            Text(p.project),
            rag_word(p.overall),
            rag_word(p.milestones),
            rag_word(p.budget),
            rag_word(p.risks),
            Text(p.headline or ""),
        )
    console.print(table)


def print_risks(risks: list[RiskLine], console: Console) -> None:
    """The register with each risk's score and band in the band's colour."""
    table = Table(title="Strategic risk register")
    for column in ("Ref", "Category", "Risk", "Impact", "Likelihood", "Score", "Band", "Travel"):
        table.add_column(column)
    table.add_column("Owner")
    for r in risks:
        table.add_row(
            Text(r.ref),
            Text(r.category or ""),
            Text(r.title or ""),
            str(r.impact),
            str(r.likelihood),
            str(r.score),
            f"[{BAND_STYLES[r.band]}]{r.band}[/]",
            TRAVEL.get(r.direction_of_travel or "", ""),
            Text(r.owner or ""),
        )
    console.print(table)


def print_risk_history(assessments: list[RiskAssessment], console: Console) -> None:
    """Every assessment of one risk, oldest first, with who, why and the change of score."""
    table = Table(title=Text(f"History of risk {assessments[0].ref}"))
    for column in ("Recorded at", "Impact", "Likelihood", "Score", "Band", "Travel", "Who", "Why"):
        table.add_column(column)
    for a in assessments:
        table.add_row(
            a.recorded_at,
            str(a.impact),
            str(a.likelihood),
            str(a.score),
            f"[{BAND_STYLES[a.band]}]{a.band}[/]",
            TRAVEL.get(a.direction_of_travel or "", ""),
            Text(a.actor or ""),
            Text(a.reason or ""),
        )
    console.print(table)
