"""Online recording: eight writer processes, one command per transaction, beside eight
processes doing one-row INSERTs on the same server, and eight recording with the bare
eventsourcing library (:mod:`bench.bare`); then eight writers as threads sharing stores,
whose commands group commit stores together (infra/group_commit.py)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from queue import Empty
from typing import Any

from application.commands import parse_command
from bench.bare import bare_tables, bare_writer
from bench.baselines import raw_table, raw_writer
from bench.figures import Figure, ratio
from bench.stores import opened
from bench.workload import engagement, load_shipped_register, target_definitions
from infra.store import Store

WRITERS = 8
# Group commit gathers the commands of one process's threads: the eight writers run as
# threads, four in each of two processes (one per core; one process alone would be
# bound by its interpreter lock, about 1 ms of Python per command).
GROUPED_PROCESSES = 2
START_TIMEOUT_SECONDS = 120
THREADS_PER_PROCESS = WRITERS // GROUPED_PROCESSES


def define_targets(url: str, prefix: str) -> None:
    """Stores the shipped council register (353 councils, as ``quarterly demo`` loads it,
    so that each engagement's council is looked up as in a real store) and the sample
    year's 20 targets, so that engagements have something to count for."""
    with opened(url) as store:
        load_shipped_register(store.ledger)
        for payload in target_definitions(prefix):
            store.ledger.execute(parse_command(payload))


def _record_for(store: Store, writer: str, seconds: float) -> int:
    """Engagements one command at a time for ``seconds`` (at least one); how many."""
    done, deadline = 0, time.monotonic() + seconds
    while done == 0 or time.monotonic() < deadline:
        payload = engagement(done, id=f"w{writer}-{done}", actor=f"writer{writer}")
        store.ledger.execute(parse_command(payload))
        done += 1
    return done


def app_writer(url: str, writer: int, seconds: float, queue: Any, ready: Any) -> None:
    """One writer process, each command in a transaction of its own (no group commit);
    once ``ready`` (a barrier all writers pass together), records for ``seconds`` and puts
    how many it stored on ``queue``."""
    with opened(url, group_commit=False) as store:
        ready.wait()
        queue.put(_record_for(store, str(writer), seconds))


def grouped_writer(url: str, process: int, seconds: float, queue: Any, ready: Any) -> None:
    """:data:`THREADS_PER_PROCESS` writer threads sharing one store with group commit,
    started once ``ready``; puts how many they stored on ``queue``, and how many groups
    stored them."""
    with opened(url, group_commit=True) as store:
        ready.wait()
        counts: list[int] = []
        threads = [
            threading.Thread(
                target=lambda n=n: counts.append(_record_for(store, f"{process}.{n}", seconds))
            )
            for n in range(THREADS_PER_PROCESS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        groups = getattr(store.ledger.recorder, "group_commit")  # noqa: B009
        queue.put((sum(counts), groups.groups))


def in_processes(
    target: Callable[..., None], url: str, seconds: float, processes: int = WRITERS
) -> float:
    """Runs ``target`` in ``processes`` processes at once; their total per second.
    Raises RuntimeError as soon as one of them fails, rather than waiting for its count.
    Each process is timed from a barrier they pass together once all are connected, so no
    process's start-up (imports, connections) runs in another's timed window."""
    return sum(count for count, _ in _counts(target, url, seconds, processes)) / seconds


def _counts(
    target: Callable[..., None], url: str, seconds: float, processes: int
) -> list[tuple[int, int]]:
    """What each process put on the queue, as ``(commands, groups)`` (groups 0 if it
    does not group)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    ready = context.Barrier(processes + 1, timeout=START_TIMEOUT_SECONDS)
    workers = [
        context.Process(target=target, args=(url, n, seconds, queue, ready))
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        for worker in workers:
            worker.kill()
        raise RuntimeError(f"{target.__name__}: the writers did not all start") from None
    counts: list[tuple[int, int]] = []
    deadline = time.monotonic() + seconds + 120
    while len(counts) < len(workers):
        try:
            found = queue.get(timeout=1)
            counts.append(tuple(found) if isinstance(found, tuple) else (int(found), 0))
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
    return counts


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
    grouped_counts = _counts(grouped_writer, url, seconds, GROUPED_PROCESSES)
    after = in_processes(raw_writer, url, seconds)
    raw = (before + after) / 2
    grouped = sum(count for count, _ in grouped_counts) / seconds
    per_group = sum(c for c, _ in grouped_counts) / max(1, sum(g for _, g in grouped_counts))
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
        Figure(
            "online recording with group commit, 8 writers",
            round(grouped, 1),
            "commands/s",
            round(raw, 1),
            ratio(grouped, raw),
            "report the ratio; aim >= 1.0",
            f"8 writer threads, {THREADS_PER_PROCESS} in each of {GROUPED_PROCESSES} "
            f"processes, each process's commands stored together: {per_group:.1f} commands "
            f"per transaction on average; {ratio(grouped, app)} of the rate without group "
            "commit; baseline: one-row INSERT + COMMIT",
        ),
    ]
