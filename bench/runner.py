"""The whole ``quarterly bench`` run: every figure, each in a store of its own."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable

from bench.bulk import bulk_import
from bench.figures import Figure
from bench.history import history_figures
from bench.http import http_recording
from bench.online import online_recording
from bench.stores import bench_store


def machine() -> str:
    """The machine the figures were taken on: host, cores, architecture and Python."""
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def run_bench(
    server: str,
    events: int,
    *,
    seconds: float = 5.0,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Figure]:
    """Measures on ``server`` (a PostgreSQL URL, or any ``sqlite:///`` file for a folder of
    its own): online recording for ``seconds``, bulk import, a history of ``events``
    events, and HTTP recording; ``progress`` is told each step as it starts."""
    figures: list[Figure] = []
    progress("online recording: 8 writers, then the raw baseline")
    with bench_store(server) as url:
        figures.extend(online_recording(url, seconds))
    progress("bulk import")
    with bench_store(server) as url:
        figures.append(bulk_import(url, min(max(events // 20, 2000), 50_000)))
    progress(f"a history of {events:,} events: reports, as-at reports, rebuild, memory")
    figures.extend(history_figures(server, events))
    progress("HTTP recording: 16 keep-alive clients against quarterly serve --workers")
    with bench_store(server) as url:
        figures.append(http_recording(url, seconds, figures[0].value or 0.0))
    return figures
