"""``quarterly``: thin commands that open the store, call a use case and print."""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from application import access, audit, event_export
from application.jsonl_import import ImportResult, import_lines, import_sample, jsonl_lines
from domain.access import Role
from domain.canonical import canonical_name
from infra.cli.errors import clear_failures, fail, stderr
from infra.cli.options import ListFormat, ReportFormat
from infra.inputs import parse_day, parse_moment, parse_year
from infra.report_formats import print_table, to_csv, to_html, to_json, to_xlsx
from infra.seal_publication import publish_seals, read_published
from infra.settings import Settings
from infra.store import Store, StoreLocation, open_store, store_exists
from projections.quarterly_return import read_return, read_themes
from projections.registers import read_history, read_milestones, read_risks
from projections.return_diff import diff_returns
from projections.runner import ProjectionRunner
from samples import DEMO_SCRIPT, DEMO_YEAR, sample_lines
from workers.jobs import PendingJobs

app = typer.Typer(
    name="quarterly",
    help="Quarterly performance returns: targets, figures, RAG, commentary, "
    "milestones and risks, event-sourced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output gets a width that fits the return rather than the 80-column default.
stdout = Console(highlight=False, width=None if sys.stdout.isatty() else 140)


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextmanager
    def store(self, *, dry_run: bool = False, create: bool = False) -> Iterator[Store]:
        """The configured store; commands that only read it (``create`` False) refuse a
        store that does not exist rather than make an empty one."""
        with clear_failures():
            url = self.settings.store
            if dry_run and not store_exists(StoreLocation.parse(url)):
                # Nothing stored yet: validate against an empty store, and make none here.
                with tempfile.TemporaryDirectory() as folder:
                    store = open_store(f"sqlite:///{folder}/dry-run.db", dry_run=True)
                    try:
                        yield store
                    finally:
                        store.close()
                    return
            store = open_store(url, dry_run=dry_run, create=create)
            try:
                yield store
            finally:
                store.close()

    def runner(self, store: Store) -> ProjectionRunner:
        return ProjectionRunner(
            store.ledger, store.read_models, batch_size=self.settings.projection_batch_size
        )

    def caught_up(self, store: Store) -> None:
        """Read-your-writes: every read first applies what has been stored."""
        self.runner(store).catch_up()

    def pending_jobs(self, store: Store) -> PendingJobs:
        return PendingJobs(
            store.ledger,
            store.read_models,
            close_after_days=self.settings.close_after_days,
            remind_before_days=self.settings.remind_before_days,
            after_close=lambda: self.publish_seals(store),
        )

    def after_writes(self, store: Store) -> None:
        """What follows stored commands: read models caught up, new seals published, and
        year-end summaries revised if a restatement changed them."""
        self.caught_up(store)
        self.publish_seals(store)
        for result in self.pending_jobs(store).refresh_year_ends(date.today()):
            stderr.print(f"{result.job.year}: {result.outcome}", markup=False)

    def publish_seals(self, store: Store) -> None:
        """Publishes new seals to QUARTERLY_SEAL_LOG, when the operator configured one."""
        with clear_failures():
            published = publish_seals(store.chain, store.ledger.mapper, self.settings.seal_log)
        for seal in published:
            stderr.print(
                f"published the seal of {seal.year} {seal.quarter} to {self.settings.seal_log}",
                markup=False,
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
    with clear_failures():
        settings = Settings()
    if store:
        settings = settings.model_copy(update={"store": store})
    ctx.obj = Context(settings)


def _progress(description: str) -> Progress:
    return Progress(
        TextColumn(description),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )


def _write(text: str | bytes, out: Path | None) -> None:
    if out is None:
        if isinstance(text, bytes):
            raise fail("binary formats need --out PATH")
        sys.stdout.write(text)
        return
    if isinstance(text, bytes):
        out.write_bytes(text)
    else:
        out.write_text(text, encoding="utf-8")
    stderr.print(f"wrote {out}")


@app.command()
def demo(ctx: typer.Context) -> None:
    """Load a realistic sample year (2016/17) into the store and print its return.

    Its facts carry recorded times spread through the year (the one place that sets the
    clock), so `report --as-at` and `diff` show the year as it unfolded."""
    context: Context = ctx.obj
    lines = sample_lines(DEMO_SCRIPT)
    with context.store(create=True) as store:
        with _progress("Loading the sample year") as progress:
            task = progress.add_task("demo", total=sum(1 for line in lines if line.strip()))
            result = import_sample(
                store.ledger, lines, on_lines=lambda n: progress.advance(task, n)
            )
        if result.refused:
            raise fail(
                f"the sample year was refused: line {result.refused[0].line}: "
                f"{result.refused[0].message}"
            )
        context.after_writes(store)
        print_table(read_return(store.read_models, DEMO_YEAR), stdout)
    stdout.print(
        f"\nStore: {context.settings.store}. Next: "
        f"[bold]quarterly report --year {DEMO_YEAR} --format json[/], "
        f"[bold]quarterly history --year {DEMO_YEAR} --code PS1[/], "
        "[bold]quarterly milestones[/], [bold]quarterly risks[/]"
    )


@app.command("import")
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
    context: Context = ctx.obj
    with clear_failures():
        lines = jsonl_lines(file.read_bytes())
    with context.store(dry_run=dry_run, create=not dry_run) as store:
        with _progress("Importing") as progress:
            task = progress.add_task("import", total=sum(1 for line in lines if line.strip()))
            result = import_lines(
                store.ledger,
                lines,
                actor=actor or _operating_system_user(),
                on_lines=lambda n: progress.advance(task, n),
            )
        if not dry_run:
            context.after_writes(store)
    _report_import(result, dry_run=dry_run)
    if result.refused:
        raise typer.Exit(1)


def _report_import(result: ImportResult, *, dry_run: bool) -> None:
    for refused in result.refused:
        stderr.print(f"line {refused.line}: refused: {refused.message}", markup=False)
    verb = "would be stored" if dry_run else "stored"
    stdout.print(
        f"{result.stored} {verb}, {result.already_stored} already present, "
        f"{len(result.refused)} refused" + (" (dry run: nothing was stored)" if dry_run else "")
    )


@app.command()
def report(
    ctx: typer.Context,
    year: Annotated[str, typer.Option(help="Financial year, e.g. 2016/17")],
    as_at: Annotated[
        str | None, typer.Option("--as-at", help="The report as it stood at this recorded time")
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.table,  # noqa: A002
    out: Annotated[Path | None, typer.Option(help="Write to this file")] = None,
) -> None:
    """The quarterly return of a year: figures, totals, percent achieved, RAG, commentary."""
    context: Context = ctx.obj
    with clear_failures():
        year = parse_year(year)
        moment = parse_moment(as_at) if as_at else None
    with context.store() as store:
        context.caught_up(store)
        quarterly_return = read_return(store.read_models, year, moment)
    if format is ReportFormat.table and out is None:
        print_table(quarterly_return, stdout)
        return
    renderers: dict[ReportFormat, Any] = {
        ReportFormat.json: lambda r: to_json(r.document()),
        ReportFormat.csv: to_csv,
        ReportFormat.xlsx: to_xlsx,
        ReportFormat.html: to_html,
        ReportFormat.table: lambda r: to_json(r.document()),
    }
    _write(renderers[format](quarterly_return), out)


@app.command()
def history(
    ctx: typer.Context,
    year: Annotated[str, typer.Option(help="Financial year, e.g. 2016/17")],
    code: Annotated[str, typer.Option(help="Target code, e.g. PS1")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """Every event of one target, oldest first: when, who, why and what changed."""
    context: Context = ctx.obj
    with clear_failures():
        year = parse_year(year)
    with context.store() as store:
        context.caught_up(store)
        events = [entry.document() for entry in read_history(store.read_models, year, code)]
    if not events:
        raise fail(f"code: no target {code!r} has any history in {year}", 2)
    if format is ListFormat.json:
        sys.stdout.write(to_json(events))
        return
    table = Table(title=f"History of {code} {year}")
    table.add_column("Recorded at", no_wrap=True)
    table.add_column("Event", no_wrap=True)
    table.add_column("Quarter", no_wrap=True)
    table.add_column("Change", ratio=3)
    table.add_column("Actor", ratio=1)
    table.add_column("Reason", ratio=1)
    table.add_column("Command", ratio=1)
    for event in events:
        table.add_row(
            *(
                escape(cell)
                for cell in (
                    event["recorded_at"],
                    event["event"].split(".")[-1],
                    event["quarter"] or "",
                    _change(event),
                    event["actor"] or "",
                    event["reason"] or "",
                    event["command_id"],
                )
            )
        )
    stdout.print(table)


def _change(event: dict[str, Any]) -> str:
    if "council" in event:
        return f"{event['council']} x{event['count']} ({event['date']})"
    if "new" in event:
        old = "–" if event.get("old") is None else str(event["old"])
        kind = f"{event['kind']}: " if "kind" in event else ""
        change = f"{kind}{old} -> {event['new']}"
        if event.get("restatement_reason"):
            change += f" [restated: {event['restatement_reason']}]"
        return change
    return str(event.get("definition", {}).get("title", ""))


@app.command()
def milestones(
    ctx: typer.Context,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """Milestones of major projects with their revisions and slippage."""
    context: Context = ctx.obj
    with context.store() as store:
        context.caught_up(store)
        found = [line.document() for line in read_milestones(store.read_models)]
    if format is ListFormat.json:
        sys.stdout.write(to_json(found))
        return
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
    for m in found:
        slip = m["slippage_days"]
        style = "red" if slip > 0 else "green" if slip < 0 else ""
        table.add_row(
            m["project"],
            m["milestone"],
            m["due"],
            m["current_due"],
            f"[{style}]{slip:+d}[/]" if style else "0",
            str(len(m["revisions"])),
            m["completed_on"] or "",
        )
    stdout.print(table)


@app.command()
def risks(
    ctx: typer.Context,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """The strategic risk register: impact x likelihood and band."""
    context: Context = ctx.obj
    with context.store() as store:
        context.caught_up(store)
        found = [line.document() for line in read_risks(store.read_models)]
    if format is ListFormat.json:
        sys.stdout.write(to_json(found))
        return
    styles = {"green": "green", "yellow": "yellow", "amber": "dark_orange", "red": "red"}
    table = Table(title="Strategic risk register")
    for column in ("Ref", "Risk", "Impact", "Likelihood", "Score", "Band"):
        table.add_column(column)
    for r in found:
        table.add_row(
            r["ref"],
            r["title"] or "",
            str(r["impact"]),
            str(r["likelihood"]),
            str(r["score"]),
            f"[{styles[r['band']]}]{r['band']}[/]",
        )
    stdout.print(table)


@app.command()
def rebuild(ctx: typer.Context) -> None:
    """Drop every read model and rebuild it from the stored events."""
    context: Context = ctx.obj
    with context.store() as store:
        runner = context.runner(store)
        head = runner.head()
        with _progress("Rebuilding read models") as progress:
            task = progress.add_task("rebuild", total=head)
            position = runner.rebuild(lambda done, _head: progress.update(task, completed=done))
    stdout.print(f"rebuilt read models from {position} events")


@app.command()
def diff(
    ctx: typer.Context,
    year: Annotated[str, typer.Option(help="Financial year, e.g. 2016/17")],
    since: Annotated[str, typer.Option("--from", help="Recorded time to compare from")],
    until: Annotated[
        str | None, typer.Option("--to", help="Recorded time to compare to (default: now)")
    ] = None,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """What changed in the return between two recorded times, per target, with who and why."""
    context: Context = ctx.obj
    with clear_failures():
        year = parse_year(year)
        start = parse_moment(since, field="from")
        end = parse_moment(until, field="to") if until else None
    with context.store() as store:
        context.caught_up(store)
        changes = diff_returns(store.read_models, year, start, end).document()
    if format is ListFormat.json:
        sys.stdout.write(to_json(changes))
        return
    table = Table(
        title=f"Changes to the {year} return from {changes['from']} to {changes['to'] or 'now'}"
    )
    for column in ("Code", "Field", "Before", "After", "Who, why, when"):
        table.add_column(column, ratio=3 if column == "Who, why, when" else 1)
    for target in changes["targets"]:
        why = "\n".join(
            f"{e['actor'] or 'unknown'}: {e.get('restatement_reason') or e['reason'] or '-'} "
            f"({e['recorded_at']})"
            for e in target["events"]
        )
        for n, change in enumerate(target["changes"]):
            table.add_row(
                *(
                    escape(str(cell))
                    for cell in (
                        target["code"] if n == 0 else "",
                        change["field"],
                        "–" if change["before"] is None else change["before"],
                        "–" if change["after"] is None else change["after"],
                        why if n == 0 else "",
                    )
                )
            )
        table.add_section()
    stdout.print(table)
    if not changes["targets"]:
        stdout.print("no target changed")


@app.command()
def verify(
    ctx: typer.Context,
    seal: Annotated[
        str | None, typer.Option(help="Prove the history up to this published seal")
    ] = None,
    published: Annotated[
        Path | None,
        typer.Option(
            help="Also check the store holds every seal in this file (the seal log, or "
            "`seals --format json` output kept elsewhere): catches a removed tail"
        ),
    ] = None,
) -> None:
    """Recompute the hash chain over every stored event; name the first bad one."""
    context: Context = ctx.obj
    with clear_failures():
        published_seals = read_published(published) if published else None
    with context.store() as store, clear_failures():
        recorder = store.chain
        head = store.ledger.recorder.max_notification_id() or 0
        with _progress("Verifying") as progress:
            task = progress.add_task("verify", total=head)
            advance = lambda position: progress.update(task, completed=position)  # noqa: E731
            if seal:
                result = audit.verify_seal(recorder, store.ledger.mapper, seal.strip(), advance)
            elif published_seals is not None:
                result = audit.verify_published(
                    recorder, store.ledger.mapper, published_seals, advance
                )
            else:
                result = audit.verify(recorder, store.ledger.mapper, advance)
    if result.unknown_seal:
        raise fail(f"seal: {result.problem}", 2)
    if not result.ok:
        raise fail(f"verification FAILED: {result.problem}", 4)
    if seal:
        stdout.print(
            f"OK: the history up to event {result.sealed_position} "
            f"({result.events} events) matches seal {seal.strip()}"
        )
    else:
        stdout.print(f"OK: {result.events} events, head digest {result.head}")
        if published_seals is not None:
            stdout.print(f"OK: all {len(published_seals)} published seals are in the store")


@app.command("seals")
def list_seals(
    ctx: typer.Context,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
    publish: Annotated[
        bool,
        typer.Option("--publish", help="Append the seals not yet published to QUARTERLY_SEAL_LOG"),
    ] = False,
) -> None:
    """The digests sealed at each quarter close, to publish outside the system."""
    context: Context = ctx.obj
    if publish and not context.settings.seal_log:
        raise fail("seal_log: set QUARTERLY_SEAL_LOG to the file seals are published to", 2)
    with context.store() as store, clear_failures():
        if publish:
            context.publish_seals(store)
        found = audit.seals(store.chain, store.ledger.mapper)
    if format is ListFormat.json:
        sys.stdout.write(to_json([s.document() for s in found]))
        return
    table = Table(title="Seals")
    for column in ("Year", "Quarter", "Closed at", "By", "Up to event", "Digest"):
        table.add_column(column, no_wrap=column == "Digest")
    for s in found:
        table.add_row(
            s.year, s.quarter, s.closed_at, s.actor or "", str(s.sealed_position), s.digest
        )
    stdout.print(table)


@app.command("export-events")
def export_events(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL file to write")],
) -> None:
    """Write every stored event, with its digest, to FILE."""
    context: Context = ctx.obj
    partial = file.with_name(file.name + ".partial")
    with context.store() as store, clear_failures():
        head = store.ledger.recorder.max_notification_id() or 0
        with _progress("Exporting") as progress, partial.open("w", encoding="utf-8") as out:
            task = progress.add_task("export", total=head)
            for line in event_export.export_lines(
                store.chain, lambda p: progress.update(task, completed=p)
            ):
                out.write(line)
        partial.replace(file)  # a reader never sees half an export
    stdout.print(f"exported the store's events to {file}")


@app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An export written by export-events")],
) -> None:
    """Load an export into an empty store (SQLite or PostgreSQL), checking every digest."""
    context: Context = ctx.obj
    with context.store(create=True) as store, clear_failures():

        def read() -> Iterator[str]:
            with file.open(encoding="utf-8") as lines:
                yield from lines

        with _progress("Restoring") as progress:
            task = progress.add_task("restore", total=None)
            result = event_export.restore_events(
                store.chain, read, lambda n: progress.update(task, completed=n)
            )
        context.caught_up(store)
    stdout.print(f"restored {result.events} events; head digest {result.head}")


@app.command()
def bench(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option(
            help="Server to measure on: a PostgreSQL URL, or sqlite:///any/file.db "
            "(the bench makes and removes its own schema or folder)"
        ),
    ] = None,
    events: Annotated[int, typer.Option(min=10_000, help="Events in the long history")] = 1_000_000,
    seconds: Annotated[float, typer.Option(help="Duration of each online-writer run")] = 5.0,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """Measure the service beside raw database baselines taken in the same run."""
    from bench import failed_measurements, machine, run_bench

    context: Context = ctx.obj
    server = store or context.settings.store
    with clear_failures():
        StoreLocation.parse(server)
        figures = run_bench(
            server,
            events,
            seconds=seconds,
            progress=lambda step: stderr.print(f"bench: {step}", markup=False),
        )
    failed = failed_measurements(figures)
    if format is ListFormat.json:
        sys.stdout.write(to_json([f.document() for f in figures]))
        if failed:
            raise fail(f"these measurements failed (a figure of 0): {'; '.join(failed)}")
        return
    table = Table(title=f"quarterly bench on {StoreLocation.parse(server).kind} — {machine()}")
    for column in ("Figure", "Value", "Unit", "Baseline", "Ratio", "Goal", "Note"):
        table.add_column(column, ratio=2 if column in ("Figure", "Note") else 1)
    for f in figures:
        table.add_row(
            f.name,
            "–" if f.value is None else f"{f.value:,}",
            f.unit,
            "–" if f.baseline is None else f"{f.baseline:,}",
            "–" if f.ratio is None else f"{f.ratio}",
            f.goal,
            f.note,
        )
    stdout.print(table)
    if failed:
        raise fail(f"these measurements failed (a figure of 0): {'; '.join(failed)}")


token_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="recorder, auditor or admin")],
    team: Annotated[
        str | None, typer.Option(help="For recorders: the theme whose targets they record")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Recorded as the actor of its events")] = None,
) -> None:
    """Create a token; it is printed once, last, and only its hash is stored."""
    context: Context = ctx.obj
    with context.store(create=True) as store, clear_failures():
        principal, secret = access.issue_token(
            store.ledger, Role.parse(role), team=team, name=name, actor=_operator()
        )
        context.caught_up(store)
        themes = {canonical_name(theme) for theme in read_themes(store.read_models)}
    if principal.team is not None and canonical_name(principal.team) not in themes:
        stderr.print(
            f"warning: no target has the theme {principal.team!r} yet; this token records "
            "nothing until one does"
            + (f" (themes: {', '.join(sorted(themes))})" if themes else ""),
            markup=False,
        )
    stderr.print(
        f"created {principal.role.value} token {principal.name!r}"
        + (f" for team {principal.team!r}" if principal.team else "")
        + "; store it now, it is not shown again:",
        markup=False,
    )
    sys.stdout.write(secret + "\n")


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """Every token with its role, team and whether it is revoked (never the secret)."""
    context: Context = ctx.obj
    with context.store() as store, clear_failures():
        tokens = access.list_tokens(store.ledger)
    if format is ListFormat.json:
        sys.stdout.write(to_json(tokens))
        return
    table = Table(title="API tokens")
    for column in ("Name", "Role", "Team", "Created", "Revoked"):
        table.add_column(column)
    for t in tokens:
        table.add_row(
            t["name"], t["role"], t["team"] or "", t["created"], "yes" if t["revoked"] else ""
        )
    stdout.print(table)


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Revoke a token by name; it is refused from the next request on."""
    context: Context = ctx.obj
    with context.store() as store, clear_failures():
        access.revoke_token(store.ledger, name, actor=_operator())
    stdout.print(f"revoked token {name!r}")


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        return f"uid:{os.getuid()}"


def _operator() -> str:
    return f"cli:{_operating_system_user()}"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, interactive docs at /docs)."""
    import uvicorn

    from infra.http.app import create_app
    from infra.logging import configure_logging

    context: Context = ctx.obj
    configure_logging(context.settings.log_format)
    with clear_failures():
        open_store(context.settings.store).close()  # fail now, clearly, if unreachable
    uvicorn.run(
        create_app(context.settings),
        host=host,
        port=port,
        access_log=False,  # one structured line per request comes from the app
        log_config=None,  # uvicorn's own warnings go through our logging, as JSON lines
        log_level="warning",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        limit_concurrency=256,
    )


@app.command()
def worker(
    ctx: typer.Context,
    run_pending: Annotated[
        bool, typer.Option("--run-pending", help="Run every due job once, then exit")
    ] = False,
    today: Annotated[
        str | None, typer.Option(help="Act as if today were this date (YYYY-MM-DD)")
    ] = None,
    interval: Annotated[float, typer.Option(help="Seconds between checks for due jobs")] = 60,
    catch_up_interval: Annotated[
        float, typer.Option(help="Seconds between projection catch-ups")
    ] = 2,
    day_seconds: Annotated[
        float | None,
        typer.Option(
            help="With --today and without --run-pending: advance the date one "
            "day every this many seconds (rehearsals and tests)"
        ),
    ] = None,
) -> None:
    """The scheduler: quarter closes, reminders, the year-end summary, projection catch-up."""
    from infra.logging import configure_logging
    from workers.scheduler import rehearsal_clock, run_until_stopped, system_clock

    context: Context = ctx.obj
    configure_logging(context.settings.log_format)
    with clear_failures():
        start = parse_day(today) if today else None
    with context.store(create=True) as store:
        pending = context.pending_jobs(store)
        if run_pending:
            results = pending.run(start or system_clock())
            stdout.print(
                f"{len(results)} due jobs run"
                + "".join(
                    f"\n  {r.job.due} {r.job.name} {r.job.year} {r.job.quarter or ''}: {r.outcome}"
                    for r in results
                )
            )
            return
        if start is None:
            clock = system_clock
        elif day_seconds:
            clock = rehearsal_clock(start, day_seconds)
        else:
            clock = lambda: start  # noqa: E731
        run_until_stopped(
            pending,
            context.runner(store),
            clock,
            interval=interval,
            catch_up_interval=catch_up_interval,
        )


@app.command("year-end")
def year_end(
    ctx: typer.Context,
    year: Annotated[str, typer.Option(help="Financial year, e.g. 2016/17")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,  # noqa: A002
) -> None:
    """The year-end summary stored after Q4 closed: targets by final RAG and achievement."""
    context: Context = ctx.obj
    with clear_failures():
        year = parse_year(year)
    with context.store() as store:
        summary = store.ledger.year_summary(year)
    if summary is None:
        raise fail(f"year: {year} has no year-end summary yet (it follows the close of Q4)", 2)
    if format is ListFormat.json:
        sys.stdout.write(to_json({"year": year, **summary}))
        return
    table = Table(title=f"Year-end summary {year}: {summary['targets']} targets")
    table.add_column("Final RAG")
    table.add_column("Targets", justify="right")
    for rag, count in summary["by_rag"].items():
        table.add_row(rag, str(count))
    stdout.print(table)
    bands = Table()
    bands.add_column("Achievement")
    bands.add_column("Targets", justify="right")
    for band, count in summary["by_achievement"].items():
        bands.add_row(band, str(count))
    stdout.print(bands)


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
