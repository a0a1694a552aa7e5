"""Commands about the registers: ``milestones`` and ``risks``."""

from __future__ import annotations

import typer

from infra.cli.options import ListFormat, ListFormatOption
from infra.cli.session import using_store
from infra.cli.tables.registers import print_milestones, print_risks
from infra.cli.terminal import print_json, stdout


def milestones(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """Milestones of major projects with their revisions and slippage."""
    with using_store(ctx) as quarterly:
        found = quarterly.caught_up().milestones()
    if format is ListFormat.json:
        print_json([line.document() for line in found])
        return
    print_milestones(found, stdout)


def risks(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """The strategic risk register: impact x likelihood and band."""
    with using_store(ctx) as quarterly:
        found = quarterly.caught_up().risks()
    if format is ListFormat.json:
        print_json([line.document() for line in found])
        return
    print_risks(found, stdout)
