"""The council register and the take-up analysis as terminal tables. Stored text is shown
as text, never read as markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from projections.models import (
    ControlTakeUp,
    CouncilLine,
    RegionTakeUp,
    TakeUp,
    TypeTakeUp,
)


def print_councils(councils: list[CouncilLine], console: Console) -> None:
    """Every council with its type, region and dates."""
    table = Table(title=f"Council register: {len(councils)} councils")
    for column in ("Code", "Name", "Type", "Region", "From", "Retired", "Aliases"):
        table.add_column(column)
    for council in councils:
        table.add_row(
            *(
                Text(value or "")
                for value in (
                    council.code,
                    council.name,
                    council.council_type,
                    council.region,
                    council.valid_from,
                    council.retired_on,
                    ", ".join(council.aliases),
                )
            )
        )
    console.print(table)


def print_take_up(found: TakeUp, console: Console) -> None:
    """Take-up by region, type and kind, then the councils with none."""
    scope = " ".join(
        part for part in (found.code and f"target {found.code}", found.kind and found.kind) if part
    )
    heading = f"Take-up {found.year}" + (f" ({scope})" if scope else "")
    if found.as_at:
        heading += f" as at {found.as_at}"
    console.print(Text(heading, style="bold"))
    console.print(
        Text(
            f"{found.engaged} of {found.councils} councils engaged ({_percent(found.percent)}); "
            f"{found.engagements} engagements; {found.first_time} first-time councils"
        )
    )
    groups: list[tuple[str, list[tuple[str, int, int, int | None, int]]]] = [
        ("Region", [(g.region, *_counts(g)) for g in found.by_region]),
        ("Type of council", [(g.council_type, *_counts(g)) for g in found.by_type]),
        ("Political control", [(g.control, *_counts(g)) for g in found.by_political_control]),
    ]
    for title, rows in groups:
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for column in (title, "Councils", "Engaged", "%", "Engagements"):
            table.add_column(column, justify="left" if column == title else "right")
        for name, councils, engaged, percent, engagements in rows:
            table.add_row(
                Text(name), str(councils), str(engaged), _percent(percent), str(engagements)
            )
        console.print(table)
    if found.by_kind:
        kinds = Table(title="Kind of support", title_justify="left")
        for column in ("Kind", "Councils engaged", "Engagements"):
            kinds.add_column(column, justify="left" if column == "Kind" else "right")
        for kind in found.by_kind:
            kinds.add_row(
                Text(kind.kind or "(not given)"), str(kind.engaged), str(kind.engagements)
            )
        console.print(kinds)
    missed = Table(title=f"No take-up: {len(found.zero_take_up)} councils", title_justify="left")
    for column in ("Code", "Council", "Type", "Region"):
        missed.add_column(column)
    for council in found.zero_take_up:
        missed.add_row(
            Text(council.code), Text(council.name), Text(council.council_type), Text(council.region)
        )
    console.print(missed)


def _counts(group: RegionTakeUp | TypeTakeUp | ControlTakeUp) -> tuple[int, int, int | None, int]:
    return group.councils, group.engaged, group.percent, group.engagements


def _percent(value: int | None) -> str:
    return "–" if value is None else f"{value}%"
