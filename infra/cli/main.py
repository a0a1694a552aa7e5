"""``quarterly``: the typer app, the ``--store`` callback and the console script.

The commands live one module per group (``returns``, ``registers``, ``audit``, ``tokens``,
``operations``); each is thin: parse, call one use case or reader, render (``tables/`` for
the terminal, ``infra/exports`` for documents). They are registered here, in the order
``quarterly --help`` lists them.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from infra.cli import audit, councils, operations, registers, returns, tokens
from infra.cli.errors import clear_failures, stderr
from infra.settings import load_settings

app = typer.Typer(
    name="quarterly",
    help="Quarterly performance returns: targets, figures, RAG, commentary, "
    "milestones and risks, event-sourced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="sqlite:///path/file.db or postgresql://user@host:port/dbname "
            "[env: QUARTERLY_STORE; default: sqlite:///quarterly.db]",
            show_default=False,
        ),
    ] = None,
) -> None:
    # Settings are read once, here; every command finds them on its context (no docstring:
    # typer would show it as the help of `quarterly`).
    with clear_failures():
        settings = load_settings()
    if store:
        settings = settings.model_copy(update={"store": store})
    ctx.obj = settings


app.command()(returns.demo)
app.command("import")(returns.import_file)
app.command()(returns.report)
app.command("board-pack")(returns.board_pack)
app.command()(returns.history)
app.command()(registers.milestones)
app.command()(registers.projects)
app.command()(registers.risks)
app.add_typer(councils.councils_app, name="councils")
app.command("take-up")(councils.take_up)
app.command()(operations.rebuild)
app.command()(returns.diff)
app.command()(audit.verify)
app.command("seals")(audit.list_seals)
app.command("export-events")(audit.export_events)
app.command()(audit.restore)
app.command()(operations.bench)
app.add_typer(tokens.token_app, name="token")
app.command()(operations.serve)
app.command()(operations.worker)
app.command("year-end")(returns.year_end)


def run() -> None:
    """The console script: a bug still ends in one line, unless QUARTERLY_DEBUG is set."""
    try:
        app()
    except Exception as error:
        if os.environ.get("QUARTERLY_DEBUG"):
            raise
        stderr.print(
            f"error: internal error ({type(error).__name__}: {error}); "
            "set QUARTERLY_DEBUG=1 to see where",
            markup=False,
        )
        sys.exit(70)
