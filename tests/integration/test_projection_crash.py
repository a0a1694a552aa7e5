"""A projection killed with SIGKILL mid-way, then restarted, ends exactly as an
uninterrupted run: each batch commits its rows with its tracking position."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from typing import Any

import psycopg
import pytest

from application.commands import parse_command
from application.ledger import Outcome
from bench.workload import YEAR, engagements_in, year_commands
from infra.store import Store, StoreLocation, open_store
from projections.runner import ProjectionRunner
from projections.schema import SECONDARY_INDEXES, TABLES, index_name
from tests.e2e.cli import QUARTERLY

ENGAGEMENTS = 1500
LATE = 100  # engagements restated into Q1 after it closed


def _a_busy_year(store: Store) -> None:
    """The bench's sample year with 1,500 engagements (Q1 to Q3 closed as it goes), then
    late engagements restated into Q1: about 2,000 events for the projection."""
    late = engagements_in(0, LATE, start=ENGAGEMENTS, restatement_reason="late report")
    commands = [parse_command(p) for p in (*year_commands(ENGAGEMENTS), *late)]
    for start in range(0, len(commands), 500):
        outcomes = store.ledger.execute_batch(commands[start : start + 500])
        assert outcomes == [Outcome.STORED] * len(outcomes)


def _dump(store: Store) -> dict[str, list[Any]]:
    tables = {}
    with store.read_models.transaction() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            tables[table] = sorted(tuple(str(v) for v in row) for row in cursor.fetchall())
    return tables


def _indexes(store: Store) -> set[str]:
    """The read models' indexes that serve reads only, as they are in the store."""
    query = (
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        if store.read_models.dialect == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'index'"
    )
    with store.read_models.transaction() as cursor:
        cursor.execute(query)
        found = {str(row[0]) for row in cursor.fetchall()}
    return found & {index_name(statement) for statement in SECONDARY_INDEXES}


def _position(store_url: str) -> int:
    """The tracking position, read cheaply enough to poll."""
    location = StoreLocation.parse(store_url)
    if location.sqlite_path:
        with closing(sqlite3.connect(location.sqlite_path, timeout=30)) as connection:
            row = connection.execute("SELECT max(position) FROM qr_tracking").fetchone()
    else:
        with psycopg.connect(**location.psycopg_conninfo()) as connection:
            row = connection.execute("SELECT max(position) FROM qr_tracking").fetchone()
    return int(row[0] or 0) if row else 0


def _kill_mid_way(store_url: str, command: list[str], head: int) -> int:
    env = os.environ | {"QUARTERLY_STORE": store_url, "QUARTERLY_PROJECTION_BATCH_SIZE": "10"}
    process = subprocess.Popen(
        [QUARTERLY, *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if 0 < _position(store_url) < head * 3 // 4:
                break
            time.sleep(0.005)
        else:
            pytest.fail("the projection never reached the middle of the log")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return _position(store_url)


@pytest.mark.parametrize(
    "command", [["rebuild"], ["report", "--year", YEAR]], ids=["rebuild", "catch-up"]
)
def test_sigkill_then_restart_gives_the_uninterrupted_read_model(
    store_url: str, command: list[str]
) -> None:
    store = open_store(store_url)
    try:
        _a_busy_year(store)
        runner = ProjectionRunner(store.ledger, store.read_models)
        head = runner.catch_up()
        uninterrupted = _dump(store)
        if command[0] != "rebuild":
            with store.read_models.transaction(write=True) as cursor:
                for table in TABLES:  # an empty read model for the catch-up to fill
                    cursor.execute(f"DELETE FROM {table}")
    finally:
        store.close()

    killed_at = _kill_mid_way(store_url, command, head)
    assert 0 < killed_at < head  # it really was interrupted

    restarted = open_store(store_url)
    try:
        # A rebuild sets the read-only indexes aside; opening the store makes them again.
        assert len(_indexes(restarted)) == len(SECONDARY_INDEXES)
        assert ProjectionRunner(restarted.ledger, restarted.read_models).catch_up() == head
        assert _dump(restarted) == uninterrupted
    finally:
        restarted.close()


class _Interrupted(Exception):
    pass


def test_a_rebuild_that_fails_part_way_leaves_every_index_in_place(store: Store) -> None:
    _a_busy_year(store)
    runner = ProjectionRunner(store.ledger, store.read_models, batch_size=100)
    head = runner.catch_up()
    uninterrupted = _dump(store)
    seen: list[int] = []

    def interrupt(position: int, _head: int) -> None:
        seen.append(len(_indexes(store)))
        if position > head // 2:
            raise _Interrupted

    with pytest.raises(_Interrupted):
        runner.rebuild(interrupt)
    assert seen[0] == 0  # the rebuild really did write without them
    assert len(_indexes(store)) == len(SECONDARY_INDEXES)
    assert runner.catch_up() == head
    assert _dump(store) == uninterrupted
