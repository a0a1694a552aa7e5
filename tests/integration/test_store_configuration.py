"""eventsourcing is configured from our settings only."""

from __future__ import annotations

import pytest

from application import audit
from infra.chained_recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from infra.store import StoreLocation, open_store
from tests.integration.helpers import define, event_count

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
            ChainedSQLiteApplicationRecorder,
            ChainedPostgresApplicationRecorder,
        }
        assert store.ledger.mapper.compressor is None
        assert store.ledger.mapper.cipher is None
        assert store.ledger.snapshots is None
        assert store.ledger.repository.cache is None
        define(store)
        result = audit.verify(store.chain, store.ledger.mapper)
        assert result.ok, result.problem
        assert result.events == event_count(store) > 0
    finally:
        store.close()
