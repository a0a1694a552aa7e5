"""Commands about the registers: ``milestones``, ``projects`` and ``risks``."""

from __future__ import annotations

from typing import Annotated

import typer

from domain.errors import NotFound
from infra.cli.errors import clear_failures
from infra.cli.options import ListFormat, ListFormatOption
from infra.cli.session import using_store
from infra.cli.tables.registers import (
    print_milestones,
    print_projects,
    print_risk_history,
    print_risks,
)
from infra.cli.terminal import print_json, stdout
from infra.inputs import parse_code, parse_moment


def milestones(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """Milestones of major projects with their revisions, slippage, status and RAG."""
    with using_store(ctx) as quarterly:
        found = quarterly.caught_up().milestones()
    if format is ListFormat.json:
        print_json([line.document() for line in found])
        return
    print_milestones(found, stdout)


def projects(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """Major projects' status rows: overall, milestones, budget and risks RAG, headline."""
    with using_store(ctx) as quarterly:
        found = quarterly.caught_up().projects()
    if format is ListFormat.json:
        print_json([line.document() for line in found])
        return
    print_projects(found, stdout)


def risks(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
    as_at: Annotated[
        str | None, typer.Option("--as-at", help="The register as it stood at this recorded time")
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(help="Every assessment of this risk (its ref), oldest first"),
    ] = None,
) -> None:
    """The strategic risk register: impact x likelihood, band and direction of travel."""
    with clear_failures():
        moment = parse_moment(as_at) if as_at else None
        ref = parse_code(history, field="history") if history else None
    with using_store(ctx) as quarterly, clear_failures():
        readers = quarterly.caught_up()
        if ref is not None:
            assessments = readers.risk_history(ref)
            if not assessments:
                raise NotFound(f"no risk {ref!r} has been assessed", field="history")
        else:
            found = readers.risks(moment)
    if ref is not None:
        if format is ListFormat.json:
            print_json([line.document() for line in assessments])
            return
        print_risk_history(assessments, stdout)
        return
    if format is ListFormat.json:
        print_json([line.document() for line in found])
        return
    print_risks(found, stdout)
