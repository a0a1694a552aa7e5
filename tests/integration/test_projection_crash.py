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

from infra.store import Store, StoreLocation, open_store
from projections.runner import ProjectionRunner
from projections.schema import TABLES
from tests.e2e.cli import QUARTERLY
from tests.integration.helpers import YEAR, define, execute

ENGAGEMENTS = 1500
COUNCILS = ["Cornwall Council", "Leeds City Council", "Kent County Council"]


MONTHS = [f"2016-{m:02d}" for m in range(4, 13)] + [f"2017-{m:02d}" for m in range(1, 4)]


def _a_busy_year(store: Store) -> None:
    define(store)
    define(store, "PW2", aggregation="max", target=50)
    for n in range(ENGAGEMENTS):
        closed = n > ENGAGEMENTS // 2
        execute(
            store,
            type="record_engagement",
            id=f"e{n}",
            year=YEAR,
            code="PW1" if n % 3 else "PW2",
            date=f"{MONTHS[n % 12]}-15",
            council=COUNCILS[n % 3],
            actor=f"team{n % 5}",
            restatement_reason="late report" if closed else None,
        )
        if n == ENGAGEMENTS // 2:
            execute(store, type="close_quarter", id="close-q1", year=YEAR, quarter="Q1")


def _dump(store: Store) -> dict[str, list[Any]]:
    tables = {}
    with store.read_models.transaction() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            tables[table] = sorted(tuple(str(v) for v in row) for row in cursor.fetchall())
    return tables


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
        assert ProjectionRunner(restarted.ledger, restarted.read_models).catch_up() == head
        assert _dump(restarted) == uninterrupted
    finally:
        restarted.close()
