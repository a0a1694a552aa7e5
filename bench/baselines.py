"""The raw-database baselines: what the database itself does with rows of about the size of
a stored event, measured on the same server (or SQLite folder) as the service's figures."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from infra.store import StoreLocation

ROW = b"x" * 400  # about the size of a stored engagement event


def raw_table(url: str) -> None:
    """Makes the table :func:`raw_writer` inserts into, beside the bench's store."""
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


def raw_writer(url: str, _writer: int, seconds: float, queue: Any, ready: Any) -> None:
    """One writer process of the online baseline: once connected and ``ready`` (a barrier
    all writers pass together), a one-row INSERT and COMMIT at a time for ``seconds`` (at
    least one), then puts how many it did on ``queue``."""
    location = StoreLocation.parse(url)
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        lite = sqlite3.connect(location.sqlite_path + ".raw", timeout=30, isolation_level=None)
        lite.execute("PRAGMA journal_mode=WAL")
        lite.execute("PRAGMA synchronous=NORMAL")
        ready.wait()
        done, deadline = 0, time.monotonic() + seconds
        while done == 0 or time.monotonic() < deadline:
            lite.execute("BEGIN IMMEDIATE")
            lite.execute("INSERT INTO raw_rows (state) VALUES (?)", (ROW,))
            lite.execute("COMMIT")
            done += 1
        lite.close()
    else:
        with psycopg.connect(**location.psycopg_conninfo(), autocommit=True) as connection:
            ready.wait()
            done, deadline = 0, time.monotonic() + seconds
            while done == 0 or time.monotonic() < deadline:
                with connection.transaction():
                    connection.execute("INSERT INTO raw_rows (state) VALUES (%s)", (ROW,))
                done += 1
    queue.put(done)


def raw_batched_insert(url: str, rows: int) -> float:
    """Rows per second of a batched INSERT (500 rows a transaction): the bulk baseline."""
    location = StoreLocation.parse(url)
    batches = [[(ROW,)] * min(500, rows - n) for n in range(0, rows, 500)]
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
    """A SQLite connection set up as the service's store is (WAL, synchronous=NORMAL)."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    try:
        yield connection
    finally:
        connection.close()
