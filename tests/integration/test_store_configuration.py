"""eventsourcing is configured from our settings only, and the chained recorders refuse
what the chain could not cover."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Literal

import psycopg
import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from application import audit
from infra.chained_recorders import (
    MAX_IDENTIFIER_BYTES,
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
    UnchainableStore,
)
from infra.grouped_recorders import (
    GroupCommittingPostgresApplicationRecorder,
    GroupCommittingSQLiteApplicationRecorder,
)
from infra.store import StoreLocation, open_store
from tests.builders import define
from tests.conftest import PG_DSN, _drop_schema
from tests.integration.helpers import event_count, execute

# Every key eventsourcing 9.5 reads while constructing an application, with a value that
# would change where or how events are stored, or whether they are chained.
HOSTILE = {
    "PERSISTENCE_MODULE": "eventsourcing.popo",
    "INFRASTRUCTURE_FACTORY": "eventsourcing.popo:POPOFactory",
    "FACTORY_TOPIC": "eventsourcing.popo:POPOFactory",
    "APPLICATION_RECORDER_TOPIC": "eventsourcing.sqlite:SQLiteApplicationRecorder",
    "MAPPER_TOPIC": "eventsourcing.persistence:Mapper",
    "TRANSCODER_TOPIC": "eventsourcing.persistence:JSONTranscoder",
    "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
    "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
    "CIPHER_KEY": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
    "CREATE_TABLE": "n",
    "IS_SNAPSHOTTING_ENABLED": "y",
    "AGGREGATE_CACHE_MAXSIZE": "1000",
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    "AGGREGATE_CACHE_FASTFORWARD_SKIPPING": "y",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    "ORIGINATOR_ID_TYPE": "text",
    "SQLITE_DBNAME": "/nonexistent/elsewhere.db",
    "SQLITE_LOCK_TIMEOUT": "0",
    "SINGLE_ROW_TRACKING": "n",
    "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
    "POSTGRES_SCHEMA": "elsewhere",
    "POSTGRES_DBNAME": "elsewhere",
    "POSTGRES_HOST": "192.0.2.1",
    "POSTGRES_PORT": "1",
    "POSTGRES_USER": "intruder",
    "POSTGRES_PASSWORD": "intruder",
    "POSTGRES_LOCK_TIMEOUT": "0",
    "POSTGRES_POOL_SIZE": "1",
    "POSTGRES_MAX_OVERFLOW": "0",
    "POSTGRES_CONNECT_TIMEOUT": "1",
    "POSTGRES_SINGLE_ROW_TRACKING": "n",
}


def test_the_ledger_reads_only_the_settings_it_is_given(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in HOSTILE.items():
        monkeypatch.setenv(key, value)
        monkeypatch.setenv(f"QUARTERLY_{key}", value)  # eventsourcing prefers these
    store = open_store(store_url)
    try:
        assert dict(store.ledger.env) == StoreLocation.parse(store_url).eventsourcing_env()
        assert type(store.ledger.recorder) in {
            GroupCommittingSQLiteApplicationRecorder,
            GroupCommittingPostgresApplicationRecorder,
        }
        assert store.ledger.mapper.compressor is None
        assert store.ledger.mapper.cipher is None
        assert store.ledger.snapshots is None
        assert store.ledger.repository.cache is None
        execute(store, define())
        result = audit.verify(store.chain, store.ledger.mapper)
        assert result.ok, result.problem
        assert result.events == event_count(store) > 0
    finally:
        store.close()


# -- the recorders refuse what the chain cannot cover ----------------------------------

IdType = Literal["uuid", "text"]
LONGEST = "e" * (MAX_IDENTIFIER_BYTES - len("_chain"))
TOO_LONG = [LONGEST + "e", "é" * (len(LONGEST) // 2 + 1)]  # bytes count, not characters


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        _drop_schema(schema)


def _postgres_datastore(
    schema: str,
    *,
    originator_id_type: IdType = "uuid",
    enable_db_functions: bool = False,
) -> PostgresDatastore:
    location = StoreLocation.parse(PG_DSN)
    return PostgresDatastore(
        location.dbname,
        location.host,
        location.port,
        location.user,
        location.password or "",
        schema=schema,
        originator_id_type=originator_id_type,
        enable_db_functions=enable_db_functions,
    )


def _chained_recorder(
    kind: str,
    schema: str,
    events_table_name: str = "stored_events",
    *,
    originator_id_type: IdType = "uuid",
    enable_db_functions: bool = False,
) -> None:
    """Constructs the chained recorder of one store, as eventsourcing's factories would."""
    if kind == "sqlite":
        datastore = SQLiteDatastore(":memory:", originator_id_type=originator_id_type)
        ChainedSQLiteApplicationRecorder(datastore, events_table_name)
        return
    with _postgres_datastore(
        schema, originator_id_type=originator_id_type, enable_db_functions=enable_db_functions
    ) as store:
        ChainedPostgresApplicationRecorder(store, events_table_name=events_table_name)


def test_postgres_refuses_database_functions(postgres_schema: str) -> None:
    with pytest.raises(UnchainableStore, match="enable_db_functions"):
        _chained_recorder("postgresql", postgres_schema, enable_db_functions=True)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_text_originator_ids_are_refused(kind: str, postgres_schema: str) -> None:
    with pytest.raises(UnchainableStore, match="originator id type 'text'"):
        _chained_recorder(kind, postgres_schema, originator_id_type="text")


@pytest.mark.parametrize("name", TOO_LONG, ids=["ascii", "multibyte"])
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_events_table_whose_chain_name_is_over_63_bytes_is_refused(
    kind: str, name: str, postgres_schema: str
) -> None:
    with pytest.raises(UnchainableStore, match="longer than 63 bytes"):
        _chained_recorder(kind, postgres_schema, events_table_name=name)


def test_the_longest_name_keeps_a_distinct_chain_table(postgres_schema: str) -> None:
    with _postgres_datastore(postgres_schema) as datastore:
        recorder = ChainedPostgresApplicationRecorder(datastore, events_table_name=LONGEST)
        recorder.create_table()
    with psycopg.connect(PG_DSN) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (postgres_schema,),
        ).fetchall()
    assert {row[0] for row in tables} == {LONGEST, f"{LONGEST}_chain"}
