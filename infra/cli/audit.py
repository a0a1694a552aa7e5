"""Commands for auditors: ``verify``, ``seals``, ``export-events`` and ``restore``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from application import audit as chain_audit
from application import event_export
from infra.cli.errors import clear_failures, fail, stderr
from infra.cli.options import ListFormat, ListFormatOption
from infra.cli.outputs import is_stdout, refuse_the_store, replacing
from infra.cli.session import publish_seals, settings_of, using_store
from infra.cli.tables.audit import print_seals
from infra.cli.terminal import print_json, progress, stdout
from infra.seal_publication import read_published


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
    with clear_failures():
        published_seals = read_published(published) if published else None
    with using_store(ctx) as quarterly:
        head = quarterly.ledger.recorder.max_notification_id() or 0
        with progress("Verifying") as bar:
            task = bar.add_task("verify", total=head)

            def advance(position: int) -> None:
                bar.update(task, completed=position)

            if seal is not None:  # an empty seal (an unset variable) is refused
                result = chain_audit.verify_seal(quarterly.chain, quarterly.mapper, seal, advance)
            elif published_seals is not None:
                result = chain_audit.verify_published(
                    quarterly.chain, quarterly.mapper, published_seals, advance
                )
            else:  # the whole chain, leaving the verification page a checkpoint
                result = quarterly.check_chain(whole=True, progress=advance).result
    if result.unknown_seal:
        raise fail(f"seal: {result.problem}", 2)
    if not result.ok:
        raise fail(f"verification FAILED: {result.problem}", 4)
    if seal is not None:
        stdout.print(
            f"OK: the history up to event {result.sealed_position} "
            f"({result.events} events) matches seal {seal.strip()}",
            markup=False,
        )
    else:
        stdout.print(f"OK: {result.events} events, head digest {result.head}")
        if published_seals is not None:
            stdout.print(f"OK: all {len(published_seals)} published seals are in the store")


def list_seals(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
    publish: Annotated[
        bool,
        typer.Option("--publish", help="Append the seals not yet published to QUARTERLY_SEAL_LOG"),
    ] = False,
) -> None:
    """The digests sealed at each quarter close, to publish outside the system."""
    if publish and not settings_of(ctx).seal_log:
        raise fail("seal_log: set QUARTERLY_SEAL_LOG to the file seals are published to", 2)
    with using_store(ctx) as quarterly:
        if publish:
            publish_seals(quarterly)
        found = chain_audit.seals(quarterly.chain, quarterly.mapper)
    if format is ListFormat.json:
        print_json([s.document() for s in found])
        return
    print_seals(found, stdout)


def export_events(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL file to write (- for stdout)")],
) -> None:
    """Write every stored event, with its digest, to FILE."""
    refuse_the_store(file, settings_of(ctx).store, option="FILE")
    to_stdout = is_stdout(file)
    with using_store(ctx) as quarterly:
        head = quarterly.ledger.recorder.max_notification_id() or 0
        # a reader never sees half an export: a temporary file replaces FILE once written
        with (
            progress("Exporting") as bar,
            nullcontext(sys.stdout) if to_stdout else replacing(file) as out,
        ):
            task = bar.add_task("export", total=head)
            for line in event_export.export_lines(
                quarterly.chain, lambda p: bar.update(task, completed=p)
            ):
                out.write(line)
            out.flush()
    # With the events on stdout, the confirmation goes to stderr, out of the export's way.
    (stderr if to_stdout else stdout).print(
        f"exported the store's events to {'stdout' if to_stdout else file}", markup=False
    )


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An export written by export-events")],
) -> None:
    """Load an export into an empty store (SQLite or PostgreSQL), checking every digest."""

    def read() -> Iterator[str]:
        with file.open(encoding="utf-8") as lines:
            yield from lines

    with clear_failures():
        event_export.check_export(read)  # before a store is made for it
    with using_store(ctx, create=True) as quarterly:
        with progress("Restoring") as bar:
            task = bar.add_task("restore", total=None)
            result = event_export.restore_events(
                quarterly.chain, read, lambda n: bar.update(task, completed=n)
            )
        quarterly.caught_up()
    stdout.print(f"restored {result.events} events; head digest {result.head}")
