"""The hash chain's links computed by PostgreSQL in the insert's own statement
(infra/chained_recorders.py) are the links domain.hash_chain computes, byte for byte."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from application.insert_conditions import InsertConditions, StaleDecision
from domain.hash_chain import GENESIS, link
from infra.chained_recorders import SQL_CHAIN_MAX_EVENTS, ChainedPostgresApplicationRecorder
from infra.store import Store, check_if_readable, open_store
from tests.conftest import PG_DSN, _drop_schema


@pytest.fixture
def store() -> Iterator[Store]:
    schema = f"test_{uuid.uuid4().hex[:16]}"
    opened = open_store(f"{PG_DSN}?schema={schema}")
    try:
        yield opened
    finally:
        opened.close()
        _drop_schema(schema)


def _recorder(store: Store) -> ChainedPostgresApplicationRecorder:
    recorder = store.ledger.recorder
    assert isinstance(recorder, ChainedPostgresApplicationRecorder)
    return recorder


def _events(count: int, topic: str = "domain.x:Happened") -> list[StoredEvent]:
    aggregate = uuid.uuid4()
    states = [b"", b'{"a": "\\u00e9"}', bytes(range(256)) * 20]
    return [
        StoredEvent(aggregate, version, topic, states[version % 3])
        for version in range(1, count + 1)
    ]


def _expected(events: list[StoredEvent]) -> list[str]:
    digests, previous = [], GENESIS
    for event in events:
        previous = link(
            previous, event.originator_id, event.originator_version, event.topic, event.state
        )
        digests.append(previous)
    return digests


def test_links_made_in_sql_are_the_links_python_makes(store: Store) -> None:
    recorder = _recorder(store)
    events = [
        *_events(3, topic="dömäin.événements:Tähti"),  # non-ASCII: lengths in bytes
        *_events(SQL_CHAIN_MAX_EVENTS),  # the most one statement links
        *_events(SQL_CHAIN_MAX_EVENTS + 1),  # linked in Python, after SQL's links
        *_events(1),
    ]
    sizes = [3, SQL_CHAIN_MAX_EVENTS, SQL_CHAIN_MAX_EVENTS + 1, 1]
    start = 0
    for size in sizes:
        ids = recorder.insert_events(events[start : start + size])
        assert ids is not None
        assert len(ids) == size
        start += size
    chain = recorder.select_chain(1, 1000)
    assert [digest for _, digest in chain] == _expected(events)
    assert [position for position, _ in chain] == list(range(1, len(events) + 1))
    assert store.ledger.chain_head() == chain[-1]
    # The arrays go in binary: every byte of a state and every character of a topic is
    # stored as given.
    stored = recorder.select_stored(1, 1000)
    assert [(r.originator_id, r.originator_version, r.topic, r.state) for r in stored] == [
        (uuid.UUID(str(e.originator_id)).hex, e.originator_version, e.topic, e.state)
        for e in events
    ]


def test_a_taken_version_or_a_stale_read_inserts_nothing(store: Store) -> None:
    recorder = _recorder(store)
    first = _events(2)
    recorder.insert_events(first)
    with pytest.raises(IntegrityError):
        recorder.insert_events([StoredEvent(first[0].originator_id, 2, "t:T", b"")])
    moved = InsertConditions(unchanged={uuid.UUID(str(first[0].originator_id)): 1})
    with pytest.raises(StaleDecision):
        recorder.insert_events(_events(1), conditions=moved)
    assert len(recorder.select_chain(1, 100)) == 2
    assert recorder.max_notification_id() == 2


def test_a_pooled_connection_is_pinged_only_when_its_backend_went_away(store: Store) -> None:
    pool = _recorder(store).datastore.pool
    connection = pool.getconn()
    try:
        pinged: list[str] = []
        execute = connection.execute

        def counting(query: Any, *args: Any, **kwargs: Any) -> Any:
            pinged.append(str(query))
            return execute(query, *args, **kwargs)

        connection.execute = counting  # type: ignore[method-assign]
        check_if_readable(connection)
        assert pinged == []  # a sound connection costs no round trip
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (connection.info.backend_pid,))
        time.sleep(0.2)  # the server's goodbye reaches the socket
        with pytest.raises(psycopg.OperationalError):
            check_if_readable(connection)
        assert pinged == [""]
    finally:
        pool.putconn(connection)
    # The pool replaced it: the next insert draws a sound connection.
    assert _recorder(store).insert_events(_events(2)) is not None
