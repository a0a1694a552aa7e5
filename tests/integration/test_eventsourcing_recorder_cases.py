"""eventsourcing's own application-recorder test cases, run against our chained recorders.

The classes are built as the library's ``tests/persistence_tests/test_sqlite.py``,
``test_postgres.py`` and ``test_noninterleaving_notification_ids.py`` build theirs, but
construct ``ChainedSQLiteApplicationRecorder`` / ``ChainedPostgresApplicationRecorder``.
After each test, every stored event must have its chain link and the chain must recompute.

Every test of the library's cases runs, its timing tests (``test_performance``,
``test_concurrent_throughput``) included: they take well under two seconds here. Not run,
because the chained recorders refuse them by design (see ``test_store_configuration.py``):
the library's ``WithTextOriginatorID`` and ``WithDbFunctions`` variants. Of the extra tests
in the library's own PostgreSQL file (not part of these cases), those that kill every server
connection (``pg_close_all_connections``) are not copied: the PostgreSQL server is shared.
The cases are imported through their module so that pytest does not collect the abstract
bases themselves.
"""

from __future__ import annotations

import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from unittest import TestCase
from uuid import UUID, uuid4

import psycopg
from eventsourcing.persistence import JSONTranscoder, Mapper
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as cases

from application import audit
from application.audit import ChainedRecorder
from domain.hash_chain import GENESIS
from infra.chained_recorders import (
    MAX_IDENTIFIER_BYTES,
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from infra.store import StoreLocation
from tests.conftest import PG_DSN, _drop_schema

# The library uses a 63-character events table name; ours is the longest whose chain table
# name still fits PostgreSQL's 63 bytes.
EVENTS_TABLE_NAME = "s" * (MAX_IDENTIFIER_BYTES - len("_chain") - len("stored_events")) + (
    "stored_events"
)
SHARED_MEMORY_DB = "file::memory:?cache=shared"
# The library's events have topics such as "topic1": no quarter closes to decode.
MAPPER = Mapper[UUID](transcoder=JSONTranscoder())


def assert_every_event_chained(recorder: ChainedRecorder) -> None:
    """Every stored event has its link, no link lacks its event, and the chain recomputes."""
    result = audit.verify(recorder, MAPPER)
    assert result.ok, result.problem
    notifications = recorder.select_notifications(None, 10**7)
    assert result.events == len(notifications)
    head = recorder.chain_head()
    assert (head[1] if head else GENESIS) == result.head


class _ChainChecked(TestCase, ABC):
    """Keeps the recorders a test creates, and checks each one's chain after the test."""

    def setUp(self) -> None:
        super().setUp()
        self.chained: list[ChainedRecorder] = []

    def tearDown(self) -> None:
        for recorder in self.chained:
            assert_every_event_chained(recorder)
        super().tearDown()

    @abstractmethod
    def create_recorder(self) -> ChainedRecorder:
        """A new chained recorder, its tables created."""


class _SQLite(_ChainChecked, ABC):
    """As the library's SQLite tests: in memory by default, a temporary file when asked."""

    db_uri = ":memory:"
    pool_size = 5

    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)  # after the datastores below are closed
        self.folder = Path(folder.name)
        self.datastores: list[SQLiteDatastore] = []
        self.addCleanup(self._close_datastores)

    def temp_file_uri(self) -> str:
        return f"file:{self.folder / 'events.db'}"

    def create_recorder(self) -> ChainedSQLiteApplicationRecorder:
        datastore = SQLiteDatastore(db_name=self.db_uri, pool_size=self.pool_size)
        self.datastores.append(datastore)
        recorder = ChainedSQLiteApplicationRecorder(datastore, EVENTS_TABLE_NAME)
        recorder.create_table()
        self.chained.append(recorder)
        return recorder

    def _close_datastores(self) -> None:
        for datastore in self.datastores:
            datastore.close()


class _Postgres(_ChainChecked, ABC):
    """As the library's PostgreSQL tests (a pool of one), in a fresh schema per test."""

    def setUp(self) -> None:
        super().setUp()
        self.schema = f"es_cases_{uuid4().hex[:16]}"
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{self.schema}"')
        self.addCleanup(_drop_schema, self.schema)  # runs after the datastore is closed
        location = StoreLocation.parse(PG_DSN)
        self.datastore = PostgresDatastore(
            location.dbname,
            location.host,
            location.port,
            location.user,
            location.password or "",
            pool_size=1,
            max_overflow=0,
            max_waiting=0,
            schema=self.schema,
        )
        self.addCleanup(self.datastore.close)

    def create_recorder(self) -> ChainedPostgresApplicationRecorder:
        recorder = ChainedPostgresApplicationRecorder(
            self.datastore, events_table_name=EVENTS_TABLE_NAME
        )
        recorder.create_table()
        self.chained.append(recorder)
        return recorder

    def resize_pool(self, size: int) -> None:
        self.datastore.pool.open()
        self.datastore.pool.resize(size, size)


class TestChainedSQLiteApplicationRecorder(
    _SQLite, cases.ApplicationRecorderTestCase[ChainedSQLiteApplicationRecorder]
):
    pool_size = 100

    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:  # noqa: PT028 - the library's signature
        self.db_uri = self.temp_file_uri()
        super().test_concurrent_no_conflicts()

    def test_concurrent_no_conflicts_in_memory_db(self) -> None:
        self.db_uri = SHARED_MEMORY_DB
        super().test_concurrent_no_conflicts()

    def test_concurrent_throughput(self) -> None:
        self.db_uri = self.temp_file_uri()
        super().test_concurrent_throughput()

    def test_concurrent_throughput_in_memory_db(self) -> None:
        self.db_uri = SHARED_MEMORY_DB
        super().test_concurrent_throughput()


class TestChainedPostgresApplicationRecorder(
    _Postgres, cases.ApplicationRecorderTestCase[ChainedPostgresApplicationRecorder]
):
    def test_insert_subscribe(self) -> None:
        self.resize_pool(2)
        super().optional_test_insert_subscribe()

    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:  # noqa: PT028 - the library's signature
        self.resize_pool(12)
        super().test_concurrent_no_conflicts()

    def test_concurrent_throughput(self) -> None:
        self.resize_pool(10)
        super().test_concurrent_throughput()


class TestNonInterleavingChainedSQLiteInMemory(
    _SQLite, cases.NonInterleavingNotificationIDsBaseCase
):
    insert_num = 10000
    db_uri = SHARED_MEMORY_DB


class TestNonInterleavingChainedSQLiteFileDB(_SQLite, cases.NonInterleavingNotificationIDsBaseCase):
    insert_num = 10000

    def setUp(self) -> None:
        super().setUp()
        self.db_uri = self.temp_file_uri()


class TestNonInterleavingChainedPostgres(_Postgres, cases.NonInterleavingNotificationIDsBaseCase):
    insert_num = 100

    def setUp(self) -> None:
        super().setUp()
        # The library races its two writers through a pool of one connection, which
        # serialises them before the table lock is reached; two connections make them race.
        self.resize_pool(2)
