"""``quarterly bench``: the service's figures beside the database's own, measured in one run.

Every figure is taken in a store the bench creates (a fresh PostgreSQL schema, or a SQLite
file in a temporary folder) and removes at the end; it never touches an existing store.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg

from application.access import issue_token
from application.commands import parse_command
from application.jsonl_import import import_lines
from domain.access import Role
from infra.store import Store, StoreLocation, open_store
from projections.quarterly_return import read_return
from projections.runner import ProjectionRunner

YEAR = "2016/17"
THEMES = ("Peer support", "Efficiency", "Leadership", "Communities")
AGGREGATIONS = ("sum", "sum", "latest", "max")
TARGETS = [f"T{n:02d}" for n in range(20)]
COUNCILS = (
    "Cornwall Council",
    "Leeds City Council",
    "Kent County Council",
    "Birmingham City Council",
    "Norfolk County Council",
)
MONTHS = [f"2016-{m:02d}" for m in range(4, 13)] + [f"2017-{m:02d}" for m in range(1, 4)]
WRITERS = 8


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None
    unit: str
    baseline: float | None
    ratio: float | None
    goal: str
    note: str = ""

    def document(self) -> dict[str, Any]:
        return asdict(self)


def failed_measurements(figures: list[Figure]) -> list[str]:
    """The figures whose value or baseline came out as 0 or is missing: a rate of 0 is a
    measurement that failed (nothing completed in its window), never a result."""
    return [
        figure.name
        for figure in figures
        if not figure.value or (figure.ratio is not None and not figure.baseline)
    ]


def _ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 3) if baseline else 0.0


# -- the sample history ------------------------------------------------------------------


def year_commands(engagements: int, prefix: str = "b") -> Iterator[dict[str, Any]]:
    """A year at scale: 20 targets, many engagements, quarterly figures, RAG and closes."""
    for n, code in enumerate(TARGETS):
        yield {
            "type": "define_target",
            "id": f"{prefix}-def-{code}",
            "year": YEAR,
            "code": code,
            "title": f"Outcome {code}",
            "theme": THEMES[n % 4],
            "aggregation": AGGREGATIONS[n % 4],
            "target": 100 + n,
            "unit": "councils",
        }
    per_quarter = max(engagements // 4, 1)
    for quarter in range(4):
        q = f"Q{quarter + 1}"
        for n in range(per_quarter):
            k = quarter * per_quarter + n
            yield {
                "type": "record_engagement",
                "id": f"{prefix}-e{k}",
                "year": YEAR,
                "code": TARGETS[k % 20],
                "date": f"{MONTHS[quarter * 3 + k % 3]}-15",
                "council": COUNCILS[k % 5],
                "actor": f"team{k % 7}",
            }
        for n, code in enumerate(TARGETS):
            if n % 2:
                yield {
                    "type": "report_figure",
                    "id": f"{prefix}-f-{code}-{q}",
                    "year": YEAR,
                    "code": code,
                    "quarter": q,
                    "value": 10 + n,
                }
            yield {
                "type": "set_rag",
                "id": f"{prefix}-r-{code}-{q}",
                "year": YEAR,
                "code": code,
                "quarter": q,
                "rag": ("green", "amber", "red")[n % 3],
            }
            yield {
                "type": "comment",
                "id": f"{prefix}-c-{code}-{q}",
                "year": YEAR,
                "code": code,
                "quarter": q,
                "kind": "delivered",
                "text": f"{q} delivery",
            }
        if quarter < 3:
            yield {"type": "close_quarter", "id": f"{prefix}-close-{q}", "year": YEAR, "quarter": q}


def load_history(store: Store, events: int, *, middle: list[str] | None = None) -> int:
    """Stores about ``events`` events; notes the recorded time half way in ``middle``."""
    # An engagement is one event; the ~300 other commands are two each (with a receipt).
    commands = list(year_commands(max(events - 600, 4)))
    batch: list[Any] = []
    for n, payload in enumerate(commands):
        batch.append(parse_command(payload))
        if len(batch) == 1000:
            store.ledger.execute_batch(batch)
            batch = []
        if middle is not None and n == len(commands) // 2:
            store.ledger.execute_batch(batch)
            batch = []
            middle.append(datetime.now(UTC).isoformat())
    store.ledger.execute_batch(batch)
    return len(commands)


# -- bench stores --------------------------------------------------------------------------


@contextmanager
def bench_store(server_url: str) -> Iterator[str]:
    """A store URL that exists only for the bench; removed afterwards."""
    location = StoreLocation.parse(server_url)
    if location.kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="quarterly-bench-")
        try:
            yield f"sqlite:///{os.path.join(folder, 'bench.db')}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    schema = f"quarterly_bench_{uuid.uuid4().hex[:12]}"
    base = server_url.split("?")[0]
    try:
        yield f"{base}?schema={schema}"
    finally:
        with psycopg.connect(**location.psycopg_conninfo(), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # our own name


@contextmanager
def opened(url: str) -> Iterator[Store]:
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


# -- online recording: 8 writers, one command per transaction -------------------------------


def _app_writer(url: str, writer: int, seconds: float, queue: Any) -> None:
    with opened(url) as store:
        done, deadline = 0, time.monotonic() + seconds
        while done == 0 or time.monotonic() < deadline:
            store.ledger.execute(
                parse_command(
                    {
                        "type": "record_engagement",
                        "id": f"w{writer}-{done}",
                        "year": YEAR,
                        "code": TARGETS[done % 20],
                        "date": "2016-05-15",
                        "council": COUNCILS[done % 5],
                        "actor": f"writer{writer}",
                    }
                )
            )
            done += 1
    queue.put(done)


def _raw_writer(url: str, _writer: int, seconds: float, queue: Any) -> None:
    row = b"x" * 400  # about the size of a stored engagement event
    location = StoreLocation.parse(url)
    done, deadline = 0, time.monotonic() + seconds
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        lite = sqlite3.connect(location.sqlite_path + ".raw", timeout=30, isolation_level=None)
        lite.execute("PRAGMA journal_mode=WAL")
        lite.execute("PRAGMA synchronous=NORMAL")
        while done == 0 or time.monotonic() < deadline:
            lite.execute("BEGIN IMMEDIATE")
            lite.execute("INSERT INTO raw_rows (state) VALUES (?)", (row,))
            lite.execute("COMMIT")
            done += 1
        lite.close()
    else:
        with psycopg.connect(**location.psycopg_conninfo(), autocommit=True) as connection:
            while done == 0 or time.monotonic() < deadline:
                with connection.transaction():
                    connection.execute("INSERT INTO raw_rows (state) VALUES (%s)", (row,))
                done += 1
    queue.put(done)


def _raw_table(url: str) -> None:
    location = StoreLocation.parse(url)
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        with sqlite3.connect(location.sqlite_path + ".raw") as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS raw_rows (id INTEGER PRIMARY KEY, state BLOB)"
            )
        return
    with psycopg.connect(**location.psycopg_conninfo(), autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS raw_rows (id bigserial PRIMARY KEY, state bytea)"
        )


def _in_processes(target: Callable[..., None], url: str, seconds: float) -> float:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=target, args=(url, n, seconds, queue)) for n in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    total: int = sum(int(queue.get(timeout=seconds + 120)) for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


def online_recording(url: str, seconds: float) -> Figure:
    with opened(url) as store:
        for payload in year_commands(0, prefix="online"):
            if payload["type"] == "define_target":
                store.ledger.execute(parse_command(payload))
    _raw_table(url)
    raw = _in_processes(_raw_writer, url, seconds)
    app = _in_processes(_app_writer, url, seconds)
    return Figure(
        "online recording, 8 writers",
        round(app, 1),
        "commands/s",
        round(raw, 1),
        _ratio(app, raw),
        "ratio >= 0.35",
        "one command per transaction; baseline: one-row INSERT + COMMIT",
    )


# -- bulk import ----------------------------------------------------------------------------


def bulk_import(url: str, commands: int) -> Figure:
    lines = [json.dumps(p) for p in year_commands(commands, prefix="bulk")]
    with opened(url) as store:
        started = time.perf_counter()
        result = import_lines(store.ledger, lines)
        app = result.stored / (time.perf_counter() - started)
    raw = _raw_batched_insert(url, len(lines))
    return Figure(
        "bulk import of a JSONL file",
        round(app, 1),
        "commands/s",
        round(raw, 1),
        _ratio(app, raw),
        ">= 10,000 commands/s; ratio >= 0.25",
        f"{result.stored} commands; baseline: batched INSERT of 400-byte rows",
    )


def _raw_batched_insert(url: str, rows: int) -> float:
    row = b"x" * 400
    location = StoreLocation.parse(url)
    batches = [[(row,)] * min(500, rows - n) for n in range(0, rows, 500)]
    started = time.perf_counter()
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        with closing_sqlite(location.sqlite_path + ".bulk") as connection:
            connection.execute("CREATE TABLE raw_bulk (id INTEGER PRIMARY KEY, state BLOB)")
            started = time.perf_counter()
            for batch in batches:
                with connection:
                    connection.executemany("INSERT INTO raw_bulk (state) VALUES (?)", batch)
    else:
        with psycopg.connect(**location.psycopg_conninfo()) as connection:
            connection.execute("CREATE TABLE raw_bulk (id bigserial PRIMARY KEY, state bytea)")
            connection.commit()
            started = time.perf_counter()
            for batch in batches:
                with connection.cursor() as cursor:
                    cursor.executemany("INSERT INTO raw_bulk (state) VALUES (%s)", batch)
                connection.commit()
    return rows / (time.perf_counter() - started)


@contextmanager
def closing_sqlite(path: str) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    try:
        yield connection
    finally:
        connection.close()


# -- rebuild, memory, and reports over a long history -------------------------------------


def _rebuild_in_child(url: str, queue: Any) -> None:
    with opened(url) as store:
        runner = ProjectionRunner(store.ledger, store.read_models)
        started = time.perf_counter()
        events = runner.rebuild()
        seconds = time.perf_counter() - started
    queue.put((events, seconds, _peak_rss_mb()))


def _decode_in_child(url: str, queue: Any) -> None:
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
        queue.put((count, time.perf_counter() - started, _peak_rss_mb()))


def _peak_rss_mb() -> float:
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


def rebuild_figures(url: str) -> list[Figure]:
    events, seconds, peak = _child(_rebuild_in_child, url)
    decoded, decode_seconds, _ = _child(_decode_in_child, url)
    rate, raw = events / seconds, decoded / decode_seconds
    return [
        Figure(
            f"full projection rebuild, {events:,} events",
            round(rate, 1),
            "events/s",
            round(raw, 1),
            _ratio(rate, raw),
            "ratio >= 0.5; < 30 s",
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


def report_latency(store: Store, as_at: str | None, runs: int) -> tuple[float, float]:
    """Median and p95 in ms of what ``report`` does: catch up, then read the return."""
    runner = ProjectionRunner(store.ledger, store.read_models)
    moment = datetime.fromisoformat(as_at) if as_at else None
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        runner.catch_up()
        read_return(store.read_models, YEAR, moment).document()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def history_figures(server: str, events: int, runs: int = 60) -> list[Figure]:
    figures: list[Figure] = []
    latencies: dict[str, dict[str, tuple[float, float]]] = {}
    for size in (10_000, events):
        with bench_store(server) as url, opened(url) as store:
            middle: list[str] = []
            load_history(store, size, middle=middle)
            ProjectionRunner(store.ledger, store.read_models).catch_up()
            latencies[str(size)] = {
                "current": report_latency(store, None, runs),
                "as_at": report_latency(store, middle[0], runs),
            }
            if size == events:
                store.close()
                figures.extend(rebuild_figures(url))
    small, large = latencies["10000"], latencies[str(events)]
    for kind, label in (("current", "report"), ("as_at", "as-at report")):
        ratio = _ratio(large[kind][0], small[kind][0])
        figures.append(
            Figure(
                f"{label}, {events:,} events in the store",
                round(large[kind][0], 2),
                "ms (median)",
                round(small[kind][0], 2),
                ratio,
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
            _ratio(large["as_at"][0], large["current"][0]),
            "<= 2x (issue 4)",
        )
    )
    return figures


# -- the whole run --------------------------------------------------------------------------


def machine() -> str:
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
    figures: list[Figure] = []
    progress("online recording: 8 writers, then the raw baseline")
    with bench_store(server) as url:
        figures.append(online_recording(url, seconds))
    progress("bulk import")
    with bench_store(server) as url:
        figures.append(bulk_import(url, min(max(events // 20, 2000), 50_000)))
    progress(f"a history of {events:,} events: reports, as-at reports, rebuild, memory")
    figures.extend(history_figures(server, events))
    progress("HTTP recording: 16 keep-alive clients against quarterly serve")
    with bench_store(server) as url:
        figures.append(http_recording(url, seconds, figures[0].value or 0.0))
    return figures


# -- HTTP recording -------------------------------------------------------------------------


@contextmanager
def _server(url: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-c",
        "from infra.cli.main import run; run()",
        "--store",
        url,
        "serve",
        "--port",
        str(port),
    ]
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        "w+", prefix="quarterly-bench-serve-", suffix=".log"
    )
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("quarterly serve did not start for the bench")
            time.sleep(0.1)
        yield base
    except Exception as error:
        log.seek(0)
        errors = [line for line in log.read().splitlines() if "error" in line.lower()]
        raise RuntimeError(f"{error}; server log: {errors[-3:]}") from error
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def http_recording(url: str, seconds: float, app_rate: float) -> Figure:
    with opened(url) as store:
        for payload in year_commands(0, prefix="http"):
            if payload["type"] == "define_target":
                store.ledger.execute(parse_command(payload))
        _, token = issue_token(store.ledger, Role.ADMIN, name="bench")
    latencies: list[float] = []
    lock = threading.Lock()

    def client(number: int, base: str) -> int:
        done, mine = 0, []
        with httpx.Client(
            base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}
        ) as http:
            # The window starts once the client exists, and always holds one request: on a
            # loaded machine making the client can outlast a short window.
            deadline = time.monotonic() + seconds
            while done == 0 or time.monotonic() < deadline:
                started = time.perf_counter()
                response = http.post(
                    "/api/v1/commands",
                    json={
                        "type": "record_engagement",
                        "id": f"h{number}-{done}",
                        "year": YEAR,
                        "code": TARGETS[done % 20],
                        "date": "2016-05-15",
                        "council": COUNCILS[done % 5],
                    },
                )
                mine.append((time.perf_counter() - started) * 1000)
                if response.status_code != 201:
                    raise RuntimeError(f"the bench's command was refused: {response.text}")
                done += 1
        with lock:
            latencies.extend(mine)
        return done

    with _server(url) as base, ThreadPoolExecutor(max_workers=16) as pool:
        started = time.perf_counter()
        total = sum(pool.map(client, range(16), [base] * 16))
        rate = total / (time.perf_counter() - started)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0
    return Figure(
        "HTTP recording, 16 keep-alive clients",
        round(rate, 1),
        "commands/s",
        round(app_rate, 1),
        _ratio(rate, app_rate),
        "ratio >= 0.5; p99 <= 50 ms",
        f"p99 {p99:.1f} ms; baseline: the application-layer rate above",
    )
