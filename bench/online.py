"""Online recording: eight writer processes, one command per transaction, beside eight
processes doing one-row INSERTs on the same server, and eight recording with the bare
eventsourcing library (:mod:`bench.bare`)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from queue import Empty
from typing import Any

from application.commands import parse_command
from bench.bare import bare_tables, bare_writer
from bench.baselines import raw_table, raw_writer
from bench.figures import Figure, ratio
from bench.stores import opened
from bench.workload import engagement, target_definitions

WRITERS = 8


def define_targets(url: str, prefix: str) -> None:
    """Stores the sample year's 20 targets, so that engagements have something to count for."""
    with opened(url) as store:
        for payload in target_definitions(prefix):
            store.ledger.execute(parse_command(payload))


def app_writer(url: str, writer: int, seconds: float, queue: Any) -> None:
    """One writer process: engagements one command at a time for ``seconds`` (at least
    one), then puts how many it stored on ``queue``."""
    with opened(url) as store:
        done, deadline = 0, time.monotonic() + seconds
        while done == 0 or time.monotonic() < deadline:
            payload = engagement(done, id=f"w{writer}-{done}", actor=f"writer{writer}")
            store.ledger.execute(parse_command(payload))
            done += 1
    queue.put(done)


def in_processes(target: Callable[..., None], url: str, seconds: float) -> float:
    """Runs ``target`` in :data:`WRITERS` processes at once; their total per second.
    Raises RuntimeError as soon as one of them fails, rather than waiting for its count."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=target, args=(url, n, seconds, queue)) for n in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    counts: list[int] = []
    deadline = time.monotonic() + seconds + 120
    while len(counts) < len(workers):
        try:
            counts.append(int(queue.get(timeout=1)))
        except Empty:
            failed = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            if failed or time.monotonic() > deadline:
                for worker in workers:
                    worker.kill()
                raise RuntimeError(
                    f"{target.__name__}: a writer process failed (exit codes {failed})"
                ) from None
    for worker in workers:
        worker.join()
    return sum(counts) / seconds


def online_recording(url: str, seconds: float) -> list[Figure]:
    """Commands per second of eight writers, beside eight raw one-row writers; then the
    bare library's rate beside the same raw rate (the application's figure comes first)."""
    define_targets(url, "online")
    raw_table(url)
    bare_tables(url)
    # The raw rate is taken before and after, and averaged: on a shared machine the load
    # drifts, and the two bracket the library's and the application's runs.
    before = in_processes(raw_writer, url, seconds)
    bare = in_processes(bare_writer, url, seconds)
    app = in_processes(app_writer, url, seconds)
    after = in_processes(raw_writer, url, seconds)
    raw = (before + after) / 2
    return [
        Figure(
            "online recording, 8 writers",
            round(app, 1),
            "commands/s",
            round(raw, 1),
            ratio(app, raw),
            "ratio >= 0.35",
            f"one command per transaction; baseline: one-row INSERT + COMMIT (mean of "
            f"{before:.0f}/s before and {after:.0f}/s after); {ratio(app, bare)} of the bare "
            "library's rate",
        ),
        Figure(
            "bare eventsourcing recording, 8 writers",
            round(bare, 1),
            "events/s",
            round(raw, 1),
            ratio(bare, raw),
            "for comparison (about 0.20 on this machine before)",
            "a plain eventsourcing Application saving one-event aggregates, its own "
            "recorder; baseline: one-row INSERT + COMMIT",
        ),
    ]
