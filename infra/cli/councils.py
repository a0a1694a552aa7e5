"""Commands about councils: the register (``councils``, ``councils load``) and who the
year's support reached (``take-up``)."""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from application.council_file import load_register
from infra.cli.errors import clear_failures, stderr
from infra.cli.options import ListFormat, ListFormatOption, Year
from infra.cli.session import operating_system_user, using_store
from infra.cli.tables.councils import print_councils, print_take_up
from infra.cli.terminal import print_json, progress, stdout
from infra.inputs import parse_code, parse_moment, parse_text, parse_year
from projections.models import TakeUp
from samples import council_register_text

councils_app = typer.Typer(
    help="The council register: list it, or load the shipped one or your own.",
    invoke_without_command=True,
)

# The sample year reads the register as it stood on 1 April 2016.
DEMO_REGISTER_RECORDED = datetime(2016, 3, 31, 9, 0, tzinfo=UTC)

AsAt = Annotated[
    str | None, typer.Option("--as-at", help="The register as it stood at this recorded time")
]


class TakeUpFormat(StrEnum):
    """What ``take-up`` prints."""

    table = "table"
    json = "json"
    csv = "csv"


@councils_app.callback()
def councils(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
    as_at: AsAt = None,
) -> None:
    """Every council of the register: code, name, type, region, aliases, dates."""
    if ctx.invoked_subcommand is not None:
        return
    with clear_failures():
        moment = parse_moment(as_at) if as_at else None
    with using_store(ctx) as quarterly:
        found = quarterly.caught_up().councils(moment)
    if format is ListFormat.json:
        print_json([line.document() for line in found])
        return
    print_councils(found, stdout)


@councils_app.command("load")
def load(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="CSV with columns code, name, type, region[, aliases, from]; "
            "without it, the shipped register of English councils as at 1 April 2016"
        ),
    ] = None,
) -> None:
    """Register every council of a CSV file (loading a file again stores nothing)."""
    with clear_failures():
        text = file.read_text(encoding="utf-8") if file is not None else council_register_text()
    with using_store(ctx, create=True) as quarterly, progress("Loading councils") as bar:
        bar.add_task("councils", total=None)
        result = load_register(quarterly.ledger, text, actor=operating_system_user())
        quarterly.caught_up()
    for refused in result.refused:
        typer.echo(f"line {refused.line}: refused: {refused.message}", err=True)
    stdout.print(
        f"{result.stored} councils registered, {result.already_stored} already present, "
        f"{len(result.refused)} refused",
        markup=False,
    )
    if result.refused:
        raise typer.Exit(1)


def take_up(
    ctx: typer.Context,
    year: Year,
    code: Annotated[str | None, typer.Option(help="Only this target's engagements")] = None,
    kind: Annotated[str | None, typer.Option(help="Only engagements of this kind")] = None,
    as_at: Annotated[
        str | None, typer.Option("--as-at", help="Take-up as it stood at this recorded time")
    ] = None,
    format: Annotated[TakeUpFormat, typer.Option("--format")] = TakeUpFormat.table,  # noqa: A002
) -> None:
    """Which councils the year's support reached, by region, type and kind, and which it
    missed."""
    with clear_failures():
        year = parse_year(year)
        moment = parse_moment(as_at) if as_at else None
        target = parse_code(code) if code else None
        kind = parse_text(kind, field="kind") if kind else None
    with using_store(ctx) as quarterly:
        found = quarterly.caught_up().take_up(year, code=target, kind=kind, as_at=moment)
    if format is TakeUpFormat.json:
        print_json(found.document())
    elif format is TakeUpFormat.csv:
        sys.stdout.write(take_up_csv(found))
    else:
        if not found.register_loaded:
            # Not a failure (exit 0, as with --format json or csv): what there is is shown,
            # and why the councils' columns are empty.
            stderr.print(
                "note: no council register is loaded: engagements name councils as free text, "
                "so there are no councils to count take-up against (run `quarterly councils load` "
                "for the shipped register)",
                markup=False,
                highlight=False,
            )
        print_take_up(found, stdout)


def take_up_csv(found: TakeUp) -> str:
    """One row per group: ``group, name, councils, engaged, percent, engagements``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "name", "councils", "engaged", "percent", "engagements"])
    writer.writerow(
        ["all", found.year, found.councils, found.engaged, found.percent, found.engagements]
    )
    for region in found.by_region:
        writer.writerow(
            ["region", region.region, region.councils, region.engaged, region.percent,
             region.engagements]
        )  # fmt: skip
    for kind_of in found.by_type:
        writer.writerow(
            ["type", kind_of.council_type, kind_of.councils, kind_of.engaged, kind_of.percent,
             kind_of.engagements]
        )  # fmt: skip
    for control in found.by_political_control:
        writer.writerow(
            ["political_control", control.control, control.councils, control.engaged,
             control.percent, control.engagements]
        )  # fmt: skip
    for support in found.by_kind:
        writer.writerow(["kind", support.kind or "", "", support.engaged, "", support.engagements])
    return out.getvalue().replace(",None,", ",,")
