"""Where events and read models live: ``sqlite:///file.db`` or ``postgresql://...``.

This is the one place that turns a store URL into eventsourcing's environment and into
read-model connections.

Its length: that one place covers both stores (URL parsing, the environment built only from
our settings, pools and the checks a store is refused for); split, the checks would drift
apart from the construction they guard.
"""

from __future__ import annotations

import contextlib
import functools
import re
import select
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from eventsourcing.postgres import PostgresRecorder
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool

from application.audit import ChainedRecorder
from application.ledger import DryRunLedger, ReturnsLedger
from domain.errors import BadInput, NotFound
from infra.chained_recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from infra.grouped_recorders import (
    GroupCommittingPostgresApplicationRecorder,
    GroupCommittingSQLiteApplicationRecorder,
)
from infra.sqlite_turns import WriterTurns
from projections.database import Cursor, ReadModelDatabase
from projections.runner import create_tables


def _topic(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
POOL_TIMEOUT_SECONDS = 5
SERVER_POOL_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class StoreLocation:
    kind: str  # "sqlite" or "postgresql"
    sqlite_path: str | None = None
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str | None = None
    dbname: str = "postgres"
    schema: str | None = None

    @classmethod
    def parse(cls, url: str) -> StoreLocation:
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            if not path:
                raise BadInput("give a file after sqlite:///", field="store")
            return cls(kind="sqlite", sqlite_path=path)
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - parses the port, raising ValueError for a bad one
        except ValueError as error:
            raise BadInput(f"{url!r} is not a store URL: {error}", field="store") from None
        if parts.scheme not in {"postgresql", "postgres"}:
            raise BadInput(
                f"{url!r} is not a store URL; use sqlite:///path/file.db or "
                "postgresql://user@host:port/dbname",
                field="store",
            )
        schema = parse_qs(parts.query).get("schema", [None])[0]
        if schema is not None and not _SCHEMA_NAME.match(schema):
            raise BadInput(f"{schema!r} is not a valid schema name", field="store")
        try:
            port = parts.port or 5432
        except ValueError:
            raise BadInput(f"the port in {url!r} is not a number", field="store") from None
        return cls(
            kind="postgresql",
            host=parts.hostname or "127.0.0.1",
            port=port,
            user=unquote(parts.username) if parts.username else "postgres",
            password=unquote(parts.password) if parts.password else None,
            dbname=parts.path.lstrip("/") or "postgres",
            schema=schema,
        )

    def eventsourcing_env(self, *, group_commit: bool = True) -> dict[str, str]:
        """eventsourcing's configuration for this store; with ``group_commit``, a recorder
        that stores concurrent commands of the process together (infra/group_commit.py)."""
        if self.kind == "sqlite":
            assert self.sqlite_path is not None
            sqlite_recorder = (
                GroupCommittingSQLiteApplicationRecorder
                if group_commit
                else ChainedSQLiteApplicationRecorder
            )
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "APPLICATION_RECORDER_TOPIC": _topic(sqlite_recorder),
                "SQLITE_DBNAME": self.sqlite_path,
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": _topic(
                GroupCommittingPostgresApplicationRecorder
                if group_commit
                else ChainedPostgresApplicationRecorder
            ),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password or "",
            "POSTGRES_LOCK_TIMEOUT": "10",
            # Connections kept open (2) and opened on demand (up to 16): a CLI command uses
            # one or two, a server's request threads more; idle processes hold few.
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "14",
            # How long one attempt waits for a pooled connection (eventsourcing retries each
            # read and write ten times); see Store.answer_outages_soon for the server.
            "POSTGRES_CONNECT_TIMEOUT": str(POOL_TIMEOUT_SECONDS),
            # Check a pooled connection before use, so one that died with a database
            # restart is replaced instead of failing the request that drew it.
            "POSTGRES_PRE_PING": "y",
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def psycopg_conninfo(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "dbname": self.dbname,
            "connect_timeout": 10,
        }
        if self.password:
            info["password"] = self.password
        if self.schema:
            info["options"] = f"-c search_path={self.schema}"
        return info


class SqliteReadModels:
    """One connection per thread: sqlite3 connections must not be shared mid-transaction."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self._path = path
        self._turns = WriterTurns(path)
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self._path, timeout=30, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            with self._lock:
                self._opened.append(connection)
        return connection

    @contextmanager
    def setup_lock(self) -> Iterator[None]:
        yield  # SQLite's own file locks serialise table creation

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Cursor]:
        """A read transaction, or with ``write`` a write transaction in this writer's turn
        (:mod:`infra.sqlite_turns`)."""
        with self._turns.turn() if write else contextlib.nullcontext():
            cursor = self._connection().cursor()
            cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteCursor(cursor)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()


class _SqliteCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._cursor.execute(sql, params or {})

    def executemany(self, sql: str, params: Sequence[Mapping[str, Any]]) -> None:
        self._cursor.executemany(sql, params)

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        marks = ", ".join("?" * len(columns))
        self._cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )

    def fetchone(self) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self._cursor.fetchone()
        return row

    def fetchall(self) -> list[Sequence[Any]]:
        return list(self._cursor.fetchall())


_NAMED_PARAMETER = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")
# Serialises read-model writers across processes (any fixed number will do).
_WRITER_LOCK_KEY = 7_401_116
_SETUP_LOCK_KEY = 7_401_117


@functools.lru_cache(maxsize=256)
def _postgres(sql: str) -> bytes:
    """``:name`` parameters become psycopg's ``%(name)s``."""
    return _NAMED_PARAMETER.sub(r"%(\1)s", sql).encode()


class PostgresReadModels:
    """A small pool, so that the threads of an HTTP server can read at once."""

    dialect = "postgresql"

    def __init__(self, location: StoreLocation, *, max_size: int = 8) -> None:
        self._schema = location.schema
        psycopg.connect(**location.psycopg_conninfo()).close()  # fail fast, with the reason
        self._pool = ConnectionPool(
            kwargs={**location.psycopg_conninfo(), "autocommit": True},
            min_size=1,
            max_size=max_size,
            open=False,
            # A connection that died (a database restart) is replaced when drawn, and
            # during an outage a reader gives up after a bounded wait.
            check=ConnectionPool.check_connection,
            timeout=POOL_TIMEOUT_SECONDS,
        )
        self._pool.open(wait=True, timeout=15)

    @contextmanager
    def setup_lock(self) -> Iterator[None]:
        """Serialises table creation: concurrent CREATE ... IF NOT EXISTS can fail."""
        with self._pool.connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK_KEY,))
            try:
                if self._schema:
                    connection.execute(
                        f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"'  # validated name
                    )
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK_KEY,))

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Cursor]:
        with (
            self._pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            if write:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITER_LOCK_KEY,))
            yield _PostgresCursor(cursor)

    def close(self) -> None:
        self._pool.close()


def check_if_readable(connection: psycopg.Connection[Any]) -> None:
    """A pooled connection's check before use, without a round trip when it is sound.

    An idle connection in the pool has nothing to read; one whose server went away
    (a restart, a terminated backend, a proxy that dropped it) has its socket readable,
    with the server's last message or the end of the stream. Only then is the connection
    pinged, which raises for a dead one, so that the pool replaces it. A connection that
    cannot be polled is pinged.
    """
    if connection.closed or connection.broken:
        raise psycopg.OperationalError("the pooled connection is closed")
    try:
        readable, _, _ = select.select([connection.pgconn.socket], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        readable = [True]
    if readable:
        ConnectionPool.check_connection(connection)


def _text_safe(value: Any) -> Any:
    """PostgreSQL ``text`` cannot hold NUL. Commands refuse it now, but a store written
    before they did may hold one: it is shown as U+FFFD instead of failing every read."""
    if type(value) is str and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def _safe_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _text_safe(value) for name, value in params.items()}


class _PostgresCursor:
    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._cursor.execute(_postgres(sql), _safe_params(params or {}))

    def executemany(self, sql: str, params: Sequence[Mapping[str, Any]]) -> None:
        self._cursor.executemany(_postgres(sql), [_safe_params(p) for p in params])

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        statement = SQL("COPY {0} ({1}) FROM STDIN").format(
            Identifier(table), SQL(", ").join(Identifier(c) for c in columns)
        )
        # Rows go as they are; only if one holds a NUL (text that predates its refusal)
        # is the COPY undone and sent again with NULs replaced: checking every value
        # first cost a tenth of a rebuild.
        self._cursor.execute("SAVEPOINT copy_rows")
        try:
            with self._cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.DataError:
            self._cursor.execute("ROLLBACK TO SAVEPOINT copy_rows")
            with self._cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([_text_safe(value) for value in row])
        self._cursor.execute("RELEASE SAVEPOINT copy_rows")

    def fetchone(self) -> Sequence[Any] | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Sequence[Any]]:
        return list(self._cursor.fetchall())


@dataclass
class Store:
    """The ledger (write side) and read models of one store, opened together."""

    location: StoreLocation
    ledger: ReturnsLedger
    read_models: ReadModelDatabase

    @property
    def chain(self) -> ChainedRecorder:
        """The ledger's recorder, which keeps the hash chain."""
        recorder = self.ledger.recorder
        assert isinstance(recorder, ChainedRecorder)
        return recorder

    def answer_outages_soon(self) -> None:
        """Shortens the ledger's wait for a pooled PostgreSQL connection to one second.

        eventsourcing retries every read and write ten times on an operational error, each
        attempt waiting for a connection: with the default wait, a request during an outage
        would be answered after nearly a minute, past most clients' timeouts; with this, in
        about twelve seconds. Meant for a server, after the store is open (opening creates
        tables, which is not retried, and keeps the longer wait).
        """
        recorder = self.ledger.recorder
        if isinstance(recorder, PostgresRecorder):
            recorder.datastore.pool.timeout = SERVER_POOL_TIMEOUT_SECONDS

    def close(self) -> None:
        self.ledger.close()
        self.read_models.close()


EVENTS_TABLE = f"{ReturnsLedger.name.lower()}_events"  # eventsourcing's name for it


def store_exists(location: StoreLocation) -> bool:
    """Whether the store holds an events table (a SQLite file, a PostgreSQL table)."""
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        if not Path(location.sqlite_path).is_file():
            return False
        uri = f"{Path(location.sqlite_path).resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as connection:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stored_events'"
            ).fetchone()
        return found is not None
    table = f'"{location.schema}".{EVENTS_TABLE}' if location.schema else EVENTS_TABLE
    with psycopg.connect(**location.psycopg_conninfo()) as connection:
        found = connection.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    return found is not None and found[0] is not None


def open_store(
    url: str, *, dry_run: bool = False, create: bool = True, group_commit: bool = True
) -> Store:
    """Opens (and, with ``create``, makes) the store at ``url``; with ``group_commit``
    (the default), commands stored at once by this process's threads share a transaction.

    Raises BadInput for a malformed URL or a missing folder, NotFound when ``create`` is
    False and nothing was ever stored there (a mistyped path must not read as an empty
    return), and psycopg/sqlite errors when the database cannot be reached.
    """
    location = StoreLocation.parse(url)
    if not create and not store_exists(location):
        raise NotFound(
            f"there is no store at {url}: nothing has been stored there yet (run "
            "`quarterly demo` or `quarterly import FILE`, or check --store / QUARTERLY_STORE)",
            field="store",
        )
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        parent = Path(location.sqlite_path).parent
        if not parent.is_dir():
            raise BadInput(f"folder {str(parent)!r} does not exist", field="store")
        read_models: SqliteReadModels | PostgresReadModels = SqliteReadModels(location.sqlite_path)
    else:
        read_models = PostgresReadModels(location)
    ledger_class = DryRunLedger if dry_run else ReturnsLedger
    try:
        with read_models.setup_lock():
            ledger = ledger_class(env=location.eventsourcing_env(group_commit=group_commit))
            create_tables(read_models)
    except BaseException:
        read_models.close()
        raise
    recorder = ledger.recorder
    if isinstance(recorder, PostgresRecorder) and hasattr(recorder.datastore.pool, "_check"):
        # eventsourcing's pre-ping (POSTGRES_PRE_PING) is a round trip per checkout, two
        # per command; this check makes one only for a connection that looks dead.
        recorder.datastore.pool._check = check_if_readable
    return Store(location=location, ledger=ledger, read_models=read_models)
