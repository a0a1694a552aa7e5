"""Writers to one SQLite file take turns (infra/sqlite_turns.py): a writer in one process
is not starved by another process writing back to back, a turn not given in time is an
outage, and a killed writer leaves no turn behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from infra.outages import is_store_outage
from infra.sqlite_turns import WRITER_SUFFIX, WriterTurns
from infra.store import SqliteReadModels

# The other process writes for at most this long; a starved writer would wait all of it.
LOAD_SECONDS = 20.0
# A writer in turn waits for about one transaction of the other; this leaves room for a
# loaded machine.
TURN_WAIT_BOUND = 3.0


def _write_back_to_back(path: str, started: Event, stop: Event) -> None:
    """Write transactions of 5 ms, each begun as soon as the last has committed."""
    database = SqliteReadModels(path)
    deadline = time.monotonic() + LOAD_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        with database.transaction(write=True) as cursor:
            cursor.execute("INSERT INTO load VALUES (1)")
            started.set()
            time.sleep(0.005)
    database.close()


def _hold_the_turn(path: str, holding: Event) -> None:
    with WriterTurns(path).turn():
        holding.set()
        time.sleep(60)


def _database(tmp_path: Path) -> str:
    path = str(tmp_path / "quarterly.db")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE load (x INTEGER)")
    connection.close()
    return path


def test_a_writer_gets_its_turn_while_another_process_writes_back_to_back(
    tmp_path: Path,
) -> None:
    path = _database(tmp_path)
    context = multiprocessing.get_context("spawn")
    started, stop = context.Event(), context.Event()
    load = context.Process(target=_write_back_to_back, args=(path, started, stop))
    load.start()
    database = SqliteReadModels(path)
    try:
        assert started.wait(30), "the load did not start"
        for _ in range(3):
            asked = time.monotonic()
            with database.transaction(write=True) as cursor:
                cursor.execute("INSERT INTO load VALUES (2)")
            waited = time.monotonic() - asked
            assert load.is_alive(), "the write waited until the other process stopped"
            # In turn: about one 5 ms transaction. Starved (SQLite's busy handler alone),
            # 10 to 20 s were measured.
            assert waited < TURN_WAIT_BOUND, f"waited {waited:.1f} s for the write lock"
        with database.transaction() as cursor:
            cursor.execute("SELECT COUNT(*) FROM load WHERE x = 2")
            assert cursor.fetchone() == (3,)
    finally:
        stop.set()
        load.join(30)
        database.close()


def test_no_turn_in_time_is_an_outage_and_the_turn_passes_on_when_freed(tmp_path: Path) -> None:
    path = _database(tmp_path)
    context = multiprocessing.get_context("spawn")
    holding = context.Event()
    holder = context.Process(target=_hold_the_turn, args=(path, holding))
    holder.start()
    try:
        assert holding.wait(30)
        with (
            pytest.raises(sqlite3.OperationalError, match="database is locked") as raised,
            WriterTurns(path, wait_seconds=0.2).turn(),
        ):
            pass
        assert is_store_outage(raised.value)
        assert "quarterly.db-writer" in str(raised.value)
    finally:
        os.kill(holder.pid or 0, signal.SIGKILL)  # a writer killed while holding its turn
        holder.join(30)
    # The killed holder let go, and the writer that gave up above took the turn when it came
    # free and handed it straight on: a new writer is not kept waiting.
    with WriterTurns(path, wait_seconds=5).turn():
        pass


def test_turns_order_threads_of_one_process_too(tmp_path: Path) -> None:
    path = _database(tmp_path)
    turns = WriterTurns(path, wait_seconds=0.2)
    with (
        turns.turn(),
        pytest.raises(sqlite3.OperationalError, match="database is locked"),
        WriterTurns(path, wait_seconds=0.2).turn(),
    ):
        pass
    with turns.turn():
        pass


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_something_else_in_the_turn_files_place_leaves_sqlite_to_order_writers(
    tmp_path: Path, kind: str
) -> None:
    path = _database(tmp_path)
    if kind == "fifo":
        os.mkfifo(path + WRITER_SUFFIX)  # opening it for reading would wait for a writer
    else:
        os.mkdir(path + WRITER_SUFFIX)
    database = SqliteReadModels(path)
    try:
        with database.transaction(write=True) as cursor:
            cursor.execute("INSERT INTO load VALUES (3)")
        with database.transaction() as cursor:
            cursor.execute("SELECT COUNT(*) FROM load WHERE x = 3")
            assert cursor.fetchone() == (1,)
    finally:
        database.close()


def test_an_in_memory_database_has_no_turn_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with WriterTurns(":memory:").turn():
        pass
    assert not any(name.endswith(WRITER_SUFFIX) for name in os.listdir(tmp_path))
