"""Where commands print: what was asked for to stdout, progress and notices to stderr."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from infra.cli.errors import fail, stderr
from infra.cli.outputs import is_stdout, write_output
from infra.exports.json_document import to_json

# Piped output gets a width that fits the return rather than the 80-column default, unless
# COLUMNS says how wide it is to be (rich reads COLUMNS when no width is given).
stdout = Console(
    highlight=False,
    width=None
    if (sys.stdout is not None and sys.stdout.isatty()) or os.environ.get("COLUMNS", "").isdigit()
    else 140,
)


def progress(description: str) -> Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal and gone once done."""
    return Progress(
        TextColumn(description),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )


def print_json(document: Any) -> None:
    """A document on stdout, as ``to_json`` writes it (the bytes the HTTP API answers)."""
    sys.stdout.write(to_json(document))


def write(text: str | bytes, out: Path | None) -> None:
    """A document to ``out`` (whole, through ``infra.cli.outputs.write_output``), or to
    stdout when no file or ``-`` is given (binary formats only to a file or ``-``)."""
    if out is None:
        if isinstance(text, bytes):
            raise fail("--out: binary formats need --out PATH (or --out - for stdout)", 2)
        sys.stdout.write(text)
        return
    write_output(text, out)
    if not is_stdout(out):
        stderr.print(f"wrote {out}", markup=False)


def table_text(draw: Callable[[Console], None], width: int = 120) -> str:
    """What ``draw`` prints, as plain text (no colour codes) ``width`` columns wide: the
    terminal table written to a file."""
    console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
    draw(console)
    return console.export_text(styles=False)
