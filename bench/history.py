"""A long history: reports, as-at reports and take-up at 10,000 events and at the full size,
then a full projection rebuild and its peak memory, beside decoding every stored event."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bench.figures import Figure, ratio
from bench.pages import page_renders
from bench.stores import bench_store, opened, settle
from bench.workload import YEAR, load_history
from infra.store import Store
from projections.quarterly_return import read_return
from projections.runner import ProjectionRunner
from projections.take_up import read_take_up

SMALL = 10_000  # the history every larger one is compared with


def history_figures(server: str, events: int, runs: int = 60) -> list[Figure]:
    """Report latencies at :data:`SMALL` and at ``events`` events, every web page's at
    ``events`` (:mod:`bench.pages`), and the rebuild of the larger history, each in a store
    of its own on ``server``. The two stores' reads are timed in turn, one read of each at
    a time, so that whatever else the machine does weighs on both alike (timed one store
    after the other, minutes apart, reads of a millisecond moved by half their length)."""
    figures: list[Figure] = []
    with (
        bench_store(server) as small_url,
        opened(small_url) as small_store,
        bench_store(server) as url,
        opened(url) as store,
    ):
        middles = {
            "small": _loaded(small_store, small_url, SMALL),
            "large": _loaded(store, url, events),
        }
        latencies = interleaved_latencies({"small": small_store, "large": store}, middles, runs)
        current_median = latencies["large"]["current"][0]
        # A short history is a smoke run (the tests'): fewer reads of each page.
        page_runs = runs if events >= 100_000 else 20
        pages = page_renders(url, store, events, current_median, page_runs)
        store.close()
        figures.extend(rebuild_figures(url))
    small, large = latencies["small"], latencies["large"]
    for kind, label in (
        ("current", "report"),
        ("as_at", "as-at report"),
        ("take_up", "take-up"),
    ):
        figures.append(
            Figure(
                f"{label}, {events:,} events in the store",
                round(large[kind][0], 2),
                "ms (median)",
                round(small[kind][0], 2),
                ratio(large[kind][0], small[kind][0]),
                "<= 1.2x the 10,000-event figure; p95 <= 100 ms",
                f"p95 {large[kind][1]:.2f} ms; baseline: the same report at 10,000 events",
            )
        )
    figures.append(
        Figure(
            f"as-at report vs current report, {events:,} events",
            round(large["as_at"][0], 2),
            "ms (median)",
            round(large["current"][0], 2),
            ratio(large["as_at"][0], large["current"][0]),
            "<= 2x (issue 4)",
        )
    )
    return figures + pages


def _loaded(store: Store, url: str, size: int) -> str:
    """Loads a sample history of about ``size`` events, catches the read models up and
    settles the store; returns the recorded time half way through (for as-at reports)."""
    middle: list[str] = []
    load_history(store.ledger, size, middle=middle)
    ProjectionRunner(store.ledger, store.read_models).catch_up()
    settle(url)  # reads are timed on a vacuumed store, as one in use is
    return middle[0]


READS = ("current", "as_at", "take_up")


def interleaved_latencies(
    stores: dict[str, Store], middles: dict[str, str], runs: int
) -> dict[str, dict[str, tuple[float, float]]]:
    """Median and p95 in ms, per store and per read, of what ``report`` does (catch up,
    then read the return now: ``current``, or as at the store's middle: ``as_at``) and
    of what ``take-up`` does (``take_up``): ``runs`` reads of each, the stores taking turns
    read by read, each store first every other time."""
    runners = {name: ProjectionRunner(s.ledger, s.read_models) for name, s in stores.items()}
    timings: dict[str, dict[str, list[float]]] = {name: {r: [] for r in READS} for name in stores}
    turns = list(stores.items())
    for run in range(runs):
        for read in READS:
            for name, store in turns if run % 2 else reversed(turns):  # each first in turn
                started = time.perf_counter()
                runners[name].catch_up()
                if read == "take_up":
                    read_take_up(store.read_models, YEAR).document()
                else:
                    moment = datetime.fromisoformat(middles[name]) if read == "as_at" else None
                    read_return(store.read_models, YEAR, moment).document()
                timings[name][read].append((time.perf_counter() - started) * 1000)
    return {
        name: {read: _median_and_p95(found) for read, found in reads.items()}
        for name, reads in timings.items()
    }


def _median_and_p95(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def rebuild_figures(url: str) -> list[Figure]:
    """The rebuild's rate beside decoding every event, and its peak memory; each measured
    in a fresh process, so that one's memory is not the other's."""
    events, seconds, peak = _child(rebuild_in_child, url)
    decoded, decode_seconds, _ = _child(decode_in_child, url)
    rate, raw = events / seconds, decoded / decode_seconds
    return [
        Figure(
            f"full projection rebuild, {events:,} events",
            round(rate, 1),
            "events/s",
            round(raw, 1),
            ratio(rate, raw),
            "ratio >= 0.5; < 20 s",
            f"took {seconds:.1f} s; baseline: SELECT every stored event and decode it",
        ),
        Figure(
            f"peak memory during the rebuild of {events:,} events",
            round(peak, 1),
            "MB",
            None,
            None,
            "<= 500 MB RSS",
            "VmHWM of the rebuilding process",
        ),
    ]


def rebuild_in_child(url: str, queue: Any) -> None:
    """Rebuilds the read models; puts (events, seconds, peak MB) on ``queue``."""
    with opened(url) as store:
        runner = ProjectionRunner(store.ledger, store.read_models)
        started = time.perf_counter()
        events = runner.rebuild()
        seconds = time.perf_counter() - started
    queue.put((events, seconds, peak_rss_mb()))


def decode_in_child(url: str, queue: Any) -> None:
    """Selects and decodes every stored event; puts (events, seconds, peak MB) on ``queue``."""
    with opened(url) as store:
        recorder, mapper = store.ledger.recorder, store.ledger.mapper
        started, position, count = time.perf_counter(), 0, 0
        while True:
            batch = recorder.select_notifications(position + 1, 1000)
            for notification in batch:
                mapper.to_domain_event(notification)
            count += len(batch)
            if len(batch) < 1000:
                break
            position = batch[-1].id
        queue.put((count, time.perf_counter() - started, peak_rss_mb()))


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux's VmHWM) in MB; 0 where it is not known."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child(target: Callable[..., None], url: str) -> tuple[int, float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(url, queue))
    process.start()
    result: tuple[int, float, float] = queue.get(timeout=3600)
    process.join()
    return result
