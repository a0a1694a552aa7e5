"""Commands about the return: ``demo``, ``import``, ``report``, ``history``, ``diff`` and
``year-end``. Each parses its options, calls one use case or reader and renders the answer
(tables in ``tables/returns.py``, documents in ``infra/exports``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from application.council_file import load_register
from application.jsonl_import import (
    ImportInterrupted,
    ImportResult,
    import_lines,
    import_sample,
    jsonl_lines,
)
from domain.calendar import Quarter
from domain.errors import Refused
from infra.cli.councils import DEMO_REGISTER_RECORDED
from infra.cli.errors import clear_failures, fail, stderr
from infra.cli.options import (
    CommentaryChoice,
    ListFormat,
    ListFormatOption,
    ReportFormat,
    ReportFormatOption,
    Year,
)
from infra.cli.outputs import is_stdout, refuse_the_store
from infra.cli.session import (
    after_writes,
    operating_system_user,
    publish_seals,
    settings_of,
    using_store,
)
from infra.cli.tables.returns import (
    print_diff,
    print_history,
    print_return,
    print_year_end,
    table_width,
)
from infra.cli.terminal import print_json, progress, stdout, table_text, write
from infra.exports.board_pack import PackFormat, PdfUnavailable, render_pack
from infra.exports.csv_export import to_csv
from infra.exports.html_export import to_html
from infra.exports.json_document import to_json
from infra.exports.xlsx_export import to_xlsx
from infra.inputs import parse_code, parse_moment, parse_period, parse_year
from projections.board_pack import gather_board_pack
from projections.models import QuarterlyReturn, YearEndSummary
from samples import DEMO_SCRIPT, DEMO_YEAR, council_register_text, sample_lines


def _json_document(report: QuarterlyReturn) -> str:
    return to_json(report.document())


# The table is not a document: with --out it is written as the plain text of the terminal
# table (no colour codes), never as another format.
DOCUMENTS: dict[ReportFormat, Callable[[QuarterlyReturn], str | bytes]] = {
    ReportFormat.json: _json_document,
    ReportFormat.csv: to_csv,
    ReportFormat.xlsx: to_xlsx,
    ReportFormat.html: to_html,
}


def demo(ctx: typer.Context) -> None:
    """Load a realistic sample year (2016/17) into the store and print its return.

    Its facts carry recorded times spread through the year (the one place that sets the
    clock), so `report --as-at` and `diff` show the year as it unfolded."""
    lines = sample_lines(DEMO_SCRIPT)
    register = council_register_text()
    with using_store(ctx, create=True) as quarterly:
        councils = load_register(quarterly.ledger, register, recorded=DEMO_REGISTER_RECORDED)
        if councils.refused:
            raise fail(f"the council register was refused: {councils.refused[0].message}")
        with progress("Loading the sample year") as bar:
            task = bar.add_task("demo", total=sum(1 for line in lines if line.strip()))
            result = import_sample(quarterly.ledger, lines, on_lines=lambda n: bar.advance(task, n))
        if result.refused:
            raise fail(
                f"the sample year was refused: line {result.refused[0].line}: "
                f"{result.refused[0].message}"
            )
        after_writes(quarterly)
        print_return(quarterly.readers.quarterly_return(DEMO_YEAR), stdout)
    stdout.print(
        f"\nStore: {escape(settings_of(ctx).store)}. Next: "
        f"[bold]quarterly report --year {DEMO_YEAR} --format json[/], "
        f"[bold]quarterly history --year {DEMO_YEAR} --code PS1[/], "
        "[bold]quarterly milestones[/], [bold]quarterly risks[/]"
    )


def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL file, one command per line")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate every line; store nothing")
    ] = False,
    actor: Annotated[
        str | None,
        typer.Option(
            help="Recorded as who sent the commands that name no actor "
            "[default: the operating-system user]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Apply each line of FILE (JSON Lines) as a command, in order."""
    with clear_failures():
        lines = jsonl_lines(file.read_bytes())
    with using_store(ctx, dry_run=dry_run, create=not dry_run) as quarterly:
        try:
            with progress("Importing") as bar:
                task = bar.add_task("import", total=sum(1 for line in lines if line.strip()))
                result = import_lines(
                    quarterly.ledger,
                    lines,
                    actor=actor or operating_system_user(),
                    on_lines=lambda n: bar.advance(task, n),
                )
        except ImportInterrupted as stopped:
            _print_outcome(stopped.result, dry_run=dry_run)
            untouched = "not checked" if dry_run else "not applied"
            stderr.print(
                f"the lines after those counted were {untouched}: import the same file "
                "again to finish (lines already stored count as already present)",
                markup=False,
            )
            if not dry_run:
                publish_seals(quarterly)  # a close among the stored lines: its seal is out
            raise typer.Exit(130) from None  # and run() says "interrupted", as for any command
        if not dry_run:
            try:
                after_writes(quarterly)
            except OSError:  # e.g. the seal log cannot be written: say what was stored first
                _print_outcome(result, dry_run=dry_run)
                raise
            except KeyboardInterrupt:  # every line is in; what follows them was cut short
                _print_outcome(result, dry_run=dry_run)
                stderr.print(
                    "every line was applied; interrupted while the read models caught up "
                    "(the next read or `quarterly worker` finishes that, and `quarterly seals "
                    "--publish` publishes any new seal)",
                    markup=False,
                )
                raise typer.Exit(130) from None
    _print_outcome(result, dry_run=dry_run)
    if result.refused:
        raise typer.Exit(1)


def _print_outcome(result: ImportResult, *, dry_run: bool) -> None:
    for refused in result.refused:
        stderr.print(f"line {refused.line}: refused: {refused.message}", markup=False)
    verb = "would be stored" if dry_run else "stored"
    stdout.print(
        f"{result.stored} {verb}, {result.already_stored} already present, "
        f"{len(result.refused)} refused" + (" (dry run: nothing was stored)" if dry_run else "")
    )


def report(
    ctx: typer.Context,
    year: Year,
    as_at: Annotated[
        str | None, typer.Option("--as-at", help="The report as it stood at this recorded time")
    ] = None,
    format: ReportFormatOption = ReportFormat.table,  # noqa: A002
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write to this file, or - for stdout (the table: as plain text, as wide as "
            "its columns need)"
        ),
    ] = None,
    commentary: Annotated[
        CommentaryChoice,
        typer.Option(help="Which commentary the table shows (wide terminals)"),
    ] = CommentaryChoice.delivered,
) -> None:
    """The quarterly return of a year: figures, totals, percent achieved, RAG, commentary."""
    with clear_failures():
        year = parse_year(year)
        moment = parse_moment(as_at) if as_at else None
    refuse_the_store(out, settings_of(ctx).store)
    with using_store(ctx) as quarterly:
        quarterly_return = quarterly.caught_up().quarterly_return(year, moment)
    if format is ReportFormat.table:
        if out is None:
            print_return(quarterly_return, stdout, commentary=commentary.kinds)
            return
        text = table_text(
            lambda console: print_return(quarterly_return, console, commentary=commentary.kinds),
            width=table_width(quarterly_return, commentary.kinds),
        )
        with clear_failures():
            write(text, out)
        return
    with clear_failures():
        write(DOCUMENTS[format](quarterly_return), out)


def board_pack(
    ctx: typer.Context,
    year: Year,
    format: Annotated[PackFormat, typer.Option("--format", help="xlsx, html or pdf")],  # noqa: A002
    out: Annotated[Path, typer.Option(help="Write the pack to this file")],
    quarter: Annotated[
        str | None,
        typer.Option(
            help="The pack as it stood when this quarter (Q1..Q4) was closed "
            "[default: as it stands now]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The board pack of a year: summary, RAG legend, charts, the return by theme with
    commentary, milestones, the risk register with its heat map, take-up, restatements."""
    with naming_options():
        year = parse_year(year)
        asked = Quarter.parse(quarter) if quarter is not None else None  # "" is refused
    refuse_the_store(out, settings_of(ctx).store)
    with using_store(ctx) as quarterly, naming_options():
        pack = gather_board_pack(quarterly.caught_up(), year, asked, datetime.now(UTC))
    if not is_stdout(out) and out.suffix.lower().lstrip(".") != format.value:
        stderr.print(
            f"warning: --out {out} does not end in .{format.value}; the file is {format.value}",
            markup=False,
        )
    with clear_failures():
        try:
            document = render_pack(pack, format)
        except PdfUnavailable as missing:  # say what to install
            raise fail(str(missing)) from None
        write(document.content, out)


@contextmanager
def naming_options() -> Iterator[None]:
    """Refusals naming ``year`` or ``quarter`` as the command's options (``--year: …``,
    exit 2); anything else as ``clear_failures`` reports it."""
    with clear_failures():
        try:
            yield
        except Refused as refusal:
            if refusal.field in {"year", "quarter"}:
                raise fail(f"--{refusal.field}: {refusal.message}", 2) from None
            raise


def history(
    ctx: typer.Context,
    year: Year,
    code: Annotated[str, typer.Option(help="Target code, e.g. PS1")],
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """Every event of one target, oldest first: when, who, why and what changed."""
    with clear_failures():
        year = parse_year(year)
        code = parse_code(code)
    with using_store(ctx) as quarterly:
        entries = quarterly.caught_up().history(year, code)
    if not entries:
        raise fail(f"code: no target {code!r} has any history in {year}", 2)
    if format is ListFormat.json:
        print_json([entry.document() for entry in entries])
        return
    print_history(entries, year, code, stdout)


def diff(
    ctx: typer.Context,
    year: Year,
    since: Annotated[str, typer.Option("--from", help="Recorded time to compare from")],
    until: Annotated[
        str | None, typer.Option("--to", help="Recorded time to compare to (default: now)")
    ] = None,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """What changed in the return between two recorded times, per target, with who and why."""
    with clear_failures():
        year = parse_year(year)
        start, end = parse_period(since, until)
    with using_store(ctx) as quarterly:
        changes = quarterly.caught_up().diff(year, start, end)
    if format is ListFormat.json:
        print_json(changes.document())
        return
    print_diff(changes, stdout)


def year_end(
    ctx: typer.Context,
    year: Year,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """The year-end summary stored after Q4 closed: targets by final RAG and achievement."""
    with clear_failures():
        year = parse_year(year)
    with using_store(ctx) as quarterly:
        stored = quarterly.ledger.year_summary(year)
    if stored is None:
        raise fail(f"year: {year} has no year-end summary yet (it follows the close of Q4)", 2)
    summary = YearEndSummary.model_validate({"year": year, **stored})
    if format is ListFormat.json:
        print_json(summary.document())
        return
    print_year_end(summary, stdout)
