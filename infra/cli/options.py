"""Options shared by several commands: the formats they print and the year they ask for."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class ReportFormat(StrEnum):
    """What ``report`` prints: the terminal table or one of the documents."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class ListFormat(StrEnum):
    """What the other reading commands print: a terminal table or the JSON document."""

    table = "table"
    json = "json"


class CommentaryChoice(StrEnum):
    """Which commentary the terminal table shows: one kind, or all three."""

    delivered = "delivered"
    impact = "impact"
    forecast = "forecast"
    all = "all"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of commentary shown, in the seeds' order."""
        if self is CommentaryChoice.all:
            return ("delivered", "impact", "forecast")
        return (self.value,)


Year = Annotated[str, typer.Option(help="Financial year, e.g. 2016/17")]
ListFormatOption = Annotated[ListFormat, typer.Option("--format")]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format")]
