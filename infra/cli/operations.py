"""Commands that run the service: ``rebuild``, ``serve``, ``worker`` and ``bench``."""

from __future__ import annotations

from typing import Annotated

import structlog
import typer

from application.chain_checkpoint import ChainCheck
from infra.cli.errors import clear_failures, fail, stderr
from infra.cli.options import ListFormat, ListFormatOption
from infra.cli.session import publish_seals, settings_of, using_store
from infra.cli.tables.bench import print_figures
from infra.cli.terminal import print_json, progress, stdout
from infra.inputs import parse_day
from infra.store import StoreLocation


def rebuild(ctx: typer.Context) -> None:
    """Drop every read model and rebuild it from the stored events."""
    with using_store(ctx) as quarterly:
        head = quarterly.runner.head()
        with progress("Rebuilding read models") as bar:
            task = bar.add_task("rebuild", total=head)
            position = quarterly.runner.rebuild(
                lambda done, _head: bar.update(task, completed=done)
            )
    stdout.print(f"rebuilt read models from {position} events")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes accepting on the port, each with its own store "
            "connections (about one per core)",
        ),
    ] = 1,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, interactive docs at /docs)."""
    from infra.http.app import create_app
    from infra.http.processes import listening_socket, serve_in_processes
    from infra.logging import configure_logging

    settings = settings_of(ctx)
    configure_logging(settings.log_format)
    with using_store(ctx, create=True):
        pass  # fail now, clearly, if the store cannot be used
    try:
        sock = listening_socket(host, port)
    except OSError as error:
        raise fail(f"cannot listen on {host}:{port}: {error.strerror}") from None
    with sock:
        code = serve_in_processes(
            lambda: create_app(settings),
            sock,
            workers,
            access_log=False,  # one structured line per request comes from the app
            log_config=None,  # uvicorn's own warnings go through our logging, as JSON lines
            log_level="warning",
            timeout_keep_alive=5,
            timeout_graceful_shutdown=10,
            limit_concurrency=256,
        )
    if code:
        raise typer.Exit(code)


def log_chain_check(check: ChainCheck) -> None:
    """The worker's whole check of the hash chain, as one log line (an error if broken)."""
    log = structlog.get_logger("quarterly.worker")
    result = check.result
    if result.ok:
        log.info("chain_verified", events=result.events, head=result.head)
    else:
        log.error("chain_broken", problem=result.problem, position=result.position)


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

    configure_logging(settings_of(ctx).log_format)
    with clear_failures():
        start = parse_day(today) if today else None
    with using_store(ctx, create=True) as quarterly:
        # A close this worker stores publishes its seal at once; say so, as `import` does.
        quarterly.jobs.after_close = lambda: publish_seals(quarterly)
        if run_pending:
            results = quarterly.jobs.run(start or system_clock())
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
            quarterly.jobs,
            quarterly.runner,
            clock,
            interval=interval,
            catch_up_interval=catch_up_interval,
            chain_check=lambda: log_chain_check(quarterly.check_chain(whole=True)),
        )


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
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """Measure the service beside raw database baselines taken in the same run."""
    # Loaded only here: the benchmark is a tool beside the service (the top-level package
    # bench/), not part of start-up; import-linter allows this one import of it.
    from bench import failed_measurements, machine, run_bench

    server = store or settings_of(ctx).store
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
        print_json([f.document() for f in figures])
        if failed:
            raise fail(f"these measurements failed (a figure of 0): {'; '.join(failed)}")
        return
    title = f"quarterly bench on {StoreLocation.parse(server).kind} — {machine()}"
    print_figures(figures, title, stdout)
    if failed:
        raise fail(f"these measurements failed (a figure of 0): {'; '.join(failed)}")
