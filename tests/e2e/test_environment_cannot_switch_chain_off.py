"""Variables eventsourcing would read from the process environment change nothing.

eventsourcing merges ``os.environ`` (plain and ``QUARTERLY_``-prefixed keys) into an
application's settings. Before the ledger stopped that, ``POSTGRES_ENABLE_DB_FUNCTIONS=true``
stored events through a database function with no chain link ("67 stored", then ``verify``
failed at event 1), ``ORIGINATOR_ID_TYPE=text`` made every insert fail (and left a text-keyed
events table behind), and ``QUARTERLY_PERSISTENCE_MODULE=eventsourcing.popo`` answered
"67 stored" while storing nothing.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest

from application import audit
from infra.store import open_store
from tests.conftest import PG_DSN, _drop_schema
from tests.e2e.cli import quarterly

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published_return_2016_17.jsonl"
COMMANDS = sum(1 for line in PUBLISHED.read_text().splitlines() if line.strip())

Hostile = Callable[[str, Path], dict[str, str]]


def _schema_of(store_url: str) -> str | None:
    return parse_qs(urlsplit(store_url).query).get("schema", [None])[0]


def _unchained(store_url: str, _: Path) -> dict[str, str]:
    """An in-memory store, or the library's recorder without the chain."""
    plain = (
        "eventsourcing.sqlite:SQLiteApplicationRecorder"
        if store_url.startswith("sqlite")
        else "eventsourcing.postgres:PostgresApplicationRecorder"
    )
    return {
        "QUARTERLY_PERSISTENCE_MODULE": "eventsourcing.popo",
        "APPLICATION_RECORDER_TOPIC": plain,
        "QUARTERLY_APPLICATION_RECORDER_TOPIC": plain,
    }


def _everything_else(store_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        "CIPHER_KEY": base64.b64encode(b"k" * 32).decode(),
        "CREATE_TABLE": "n",
        "IS_SNAPSHOTTING_ENABLED": "y",
        "AGGREGATE_CACHE_MAXSIZE": "1000",
        "QUARTERLY_SQLITE_DBNAME": str(tmp_path / "elsewhere.db"),
        "QUARTERLY_POSTGRES_SCHEMA": f"{_schema_of(store_url) or 'public'}_elsewhere",
        "QUARTERLY_POSTGRES_LOCK_TIMEOUT": "0",
    }


HOSTILE: dict[str, Hostile] = {
    "db-functions": lambda *_: {"POSTGRES_ENABLE_DB_FUNCTIONS": "true"},
    "text-ids": lambda *_: {"ORIGINATOR_ID_TYPE": "text", "QUARTERLY_ORIGINATOR_ID_TYPE": "text"},
    "unchained": _unchained,
    "everything-else": _everything_else,
}


@pytest.fixture
def elsewhere(store_url: str) -> Iterator[None]:
    """Drops the schema a leaked ``QUARTERLY_POSTGRES_SCHEMA`` would have written to."""
    yield
    schema = _schema_of(store_url)
    if schema is not None:
        _drop_schema(f"{schema}_elsewhere")


def _event_store_tables(store_url: str) -> set[str]:
    if store_url.startswith("sqlite:///"):
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as connection:
            cursor = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = {str(row[0]) for row in cursor}
    else:
        with psycopg.connect(PG_DSN) as connection:
            rows = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (_schema_of(store_url),),
            ).fetchall()
            names = {str(row[0]) for row in rows}
    return {name for name in names if not name.startswith("qr_")}


@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
def test_import_stores_every_event_with_its_link_whatever_the_environment_holds(
    store_url: str, tmp_path: Path, hostile: Hostile, elsewhere: None
) -> None:
    env = hostile(store_url, tmp_path)

    run = quarterly("import", str(PUBLISHED), store=store_url, extra_env=env)
    assert run.code == 0, run.stderr
    assert f"{COMMANDS} stored, 0 already present, 0 refused" in run.stdout

    store = open_store(store_url)  # this process's environment holds none of it
    try:
        notifications = store.ledger.recorder.select_notifications(1, 10**6)
        for notification in notifications:  # readable without a compressor or cipher
            store.ledger.mapper.to_domain_event(notification)
        stored = [row.position for row in store.chain.select_stored(1, 10**6)]
        linked = [position for position, _ in store.chain.select_chain(1, 10**6)]
        result = audit.verify(store.chain, store.ledger.mapper)
    finally:
        store.close()
    assert len(notifications) >= COMMANDS
    assert stored == linked == [n.id for n in notifications]
    assert result.ok, result.problem
    assert result.events == len(notifications)
    tables = _event_store_tables(store_url)
    assert not {name for name in tables if "snapshot" in name}, tables

    verified = quarterly("verify", store=store_url, extra_env=env)
    assert verified.code == 0, verified.stderr
    assert f"OK: {len(notifications)} events" in verified.stdout
