"""Application recorders that extend the hash chain in the same transaction as each insert.

The chain table holds one ``(position, digest)`` row per stored event. Writers to the events
table are already serialised (SQLite's write lock; eventsourcing's EXCLUSIVE table lock on
PostgreSQL), so reading the head and appending after it is race-free.

Both recorders refuse, when constructed, a configuration the chain could not cover: events
stored by a PostgreSQL database function (``enable_db_functions``) never pass through this
code, so they would have no link; aggregate ids other than UUIDs cannot be linked (the digest
is taken over the UUID); and a chain table name longer than PostgreSQL's 63-byte identifier
limit would be silently truncated, possibly onto another table.

Its length (over the ~400 lines the layout aims at): the two recorders share the chain's
statements and checks, and the PostgreSQL one holds its one-round-trip insert (the chain
link computed in SQL) beside the two-step path it falls back to; split apart, each half
would have to be read with the other.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteTransaction,
)
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Composed, Identifier, Literal

from application.audit import ChainLink, StoredRow
from application.insert_conditions import InsertConditions, StaleDecision
from domain.hash_chain import GENESIS, link
from infra.sqlite_turns import WriterTurns

# PostgreSQL truncates longer identifiers (NAMEDATALEN - 1 bytes). SQLite has no such limit,
# but the rule holds on both stores, so that a store can move between them (export, restore)
# under the same names.
MAX_IDENTIFIER_BYTES = 63
CHAIN_SUFFIX = "_chain"
# Inserts of up to this many events link the chain in SQL, in the insert's own statement
# (the recursive step is cheap per row, but a bulk batch links faster in Python).
SQL_CHAIN_MAX_EVENTS = 64


def sql_link(previous: str, row: str) -> str:
    """SQL for :func:`domain.hash_chain.link` of the stored event in ``row`` (a relation
    with ``originator_id``, ``originator_version``, ``topic``, ``state``) after the digest
    ``previous`` (an SQL text expression): the same bytes hashed, so the same digest."""
    return (
        f"encode(sha256(convert_to("
        f"octet_length({previous}) || ':' || {previous}"
        f" || '36:' || {row}.originator_id::text"
        f" || length({row}.originator_version::text) || ':' || {row}.originator_version::text"
        f" || octet_length(convert_to({row}.topic, 'UTF8')) || ':' || {row}.topic"
        f" || octet_length({row}.state) || ':', 'UTF8') || {row}.state), 'hex')"
    )


def chain_links(chain_table: Composed) -> Composed:
    """The common table expressions, after a ``new`` one (the inserted events, with
    ``notification_id``, ``originator_id``, ``originator_version``, ``topic``, ``state``),
    that link each inserted event to the chain in notification order, from the head read
    under the lock, and insert the links into ``chain_table``."""
    return SQL(
        "numbered AS (SELECT row_number() OVER (ORDER BY notification_id) AS n, * "
        "FROM new), "
        "head AS (SELECT COALESCE((SELECT digest FROM {chain} "
        "ORDER BY position DESC LIMIT 1), {genesis}) AS digest), "
        "links (n, position, digest) AS ("
        "SELECT n, notification_id, {first} FROM numbered, head WHERE n = 1 "
        "UNION ALL SELECT m.n, m.notification_id, {next} "
        "FROM links AS l JOIN numbered AS m ON m.n = l.n + 1), "
        "chained AS (INSERT INTO {chain} (position, digest) "
        "SELECT position, digest FROM links)"
    ).format(
        chain=chain_table,
        genesis=Literal(GENESIS),
        first=SQL(sql_link("head.digest", "numbered")),
        next=SQL(sql_link("l.digest", "m")),
    )


class UnchainableStore(ProgrammingError):
    """The store is configured in a way that the hash chain could not cover every event."""


def refuse_unchainable(
    events_table_name: str, *, originator_id_type: str, enable_db_functions: bool = False
) -> None:
    """Raises :class:`UnchainableStore` naming the setting that would break the chain."""
    chain_table_name = f"{events_table_name}{CHAIN_SUFFIX}"
    if len(chain_table_name.encode()) > MAX_IDENTIFIER_BYTES:
        raise UnchainableStore(
            f"the chain table name {chain_table_name!r} is longer than "
            f"{MAX_IDENTIFIER_BYTES} bytes (PostgreSQL would truncate it); use an events "
            f"table name of at most {MAX_IDENTIFIER_BYTES - len(CHAIN_SUFFIX)} bytes"
        )
    if originator_id_type != "uuid":
        raise UnchainableStore(
            f"originator id type {originator_id_type!r} is not supported: the hash chain "
            "links events by UUID aggregate ids; use 'uuid'"
        )
    if enable_db_functions:
        raise UnchainableStore(
            "PostgreSQL database functions (enable_db_functions) insert events without "
            "extending the hash chain; turn them off"
        )


def extend_chain(
    previous: str, ids: Sequence[int], events: Sequence[StoredEvent]
) -> list[ChainLink]:
    """The chain links of ``events`` stored at positions ``ids``, after digest ``previous``."""
    links = []
    for position, event in zip(ids, events, strict=True):
        previous = link(
            previous, event.originator_id, event.originator_version, event.topic, event.state
        )
        links.append((position, previous))
    return links


class ImmediateTransaction(SQLiteTransaction):
    """eventsourcing's SQLite transaction, begun with the write lock already taken, in
    this writer's turn (:mod:`infra.sqlite_turns`), which it keeps until it has ended."""

    def __init__(self, connection: SQLiteConnection, turns: WriterTurns, *, commit: bool):
        super().__init__(connection, commit=commit)
        self._turn = turns.turn()

    def __enter__(self) -> SQLiteCursor:
        self._turn.__enter__()
        try:
            cursor = self.connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._turn.__exit__(None, None, None)
            raise
        return cursor

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc_val, exc_tb)
        finally:
            self._turn.__exit__(None, None, None)


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """SQLite's application recorder, extending ``<events table>_chain`` in each insert."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        # SQLite has no database-function inserts: only the id type and the name can break it.
        refuse_unchainable(events_table_name, originator_id_type=datastore.originator_id_type)
        self.chain_table_name = f"{events_table_name}_chain"  # before the DDL is built
        super().__init__(datastore, events_table_name)
        self.turns = WriterTurns(datastore.pool.db_name)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.chain_table_name} "
            "(position INTEGER PRIMARY KEY, digest TEXT NOT NULL)",
        ]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Inserts under ``BEGIN IMMEDIATE``: the write lock is taken before anything is
        read, so the chain's head and the checked versions are current, even with other
        processes writing to the same file."""
        with (
            self.datastore.get_connection(commit=True) as connection,
            ImmediateTransaction(connection, self.turns, commit=True) as cursor,
            cursor,
        ):
            return self._insert_events(cursor, stored_events, **kwargs)

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Sequence[StoredEvent],
        *,
        conditions: InsertConditions | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        if conditions and conditions.unchanged:
            self._check_unchanged(c, conditions.unchanged)
        c.execute(
            f"SELECT position, digest FROM {self.chain_table_name} ORDER BY position DESC LIMIT 1"
        )
        found = c.fetchone()
        head: ChainLink | None = None if found is None else (int(found[0]), str(found[1]))
        if conditions and conditions.seal is not None:
            stored_events = conditions.seal(head, stored_events)
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        links = extend_chain(head[1] if head else GENESIS, ids, stored_events)
        c.executemany(f"INSERT INTO {self.chain_table_name} VALUES (?, ?)", links)
        return ids

    def _check_unchanged(self, c: SQLiteCursor, unchanged: dict[UUID, int]) -> None:
        marks = ", ".join("?" * len(unchanged))
        c.execute(
            f"SELECT originator_id, MAX(originator_version) FROM {self.events_table_name} "
            f"WHERE originator_id IN ({marks}) GROUP BY originator_id",
            [aggregate_id.hex for aggregate_id in unchanged],
        )
        for originator_id, version in c.fetchall():
            if int(version) > unchanged[UUID(str(originator_id))]:
                raise StaleDecision(f"{originator_id} changed after the decision read it")

    def select_chain(self, start: int, limit: int) -> list[ChainLink]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT position, digest FROM {self.chain_table_name} "
                "WHERE position >= ? ORDER BY position LIMIT ?",
                (start, limit),
            )
            return [(int(row[0]), str(row[1])) for row in c.fetchall()]

    def select_stored(self, start: int, limit: int) -> list[StoredRow]:
        """Rows exactly as stored, unconverted, for verification and export."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE rowid >= ? ORDER BY rowid LIMIT ?",
                (start, limit),
            )
            return [
                StoredRow(r[0], r[1], r[2], r[3], r[4])  # as stored: see StoredRow
                for r in c.fetchall()
            ]

    def select_first_events(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """The first event of each of these aggregates that exists, in bulk (receipts)."""
        found: list[StoredEvent] = []
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(originator_ids), 500):
                chunk = [i.hex for i in originator_ids[start : start + 500]]
                c.execute(
                    f"SELECT originator_id, originator_version, topic, state "
                    f"FROM {self.events_table_name} WHERE originator_version = 1 "
                    f"AND originator_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
                found.extend(
                    StoredEvent(UUID(str(r[0])), int(r[1]), str(r[2]), bytes(r[3]))
                    for r in c.fetchall()
                )
        return found

    def select_aggregate_events(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every event of these aggregates, in one query, by aggregate then version."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE originator_id IN "
                f"({', '.join('?' * len(originator_ids))}) "
                "ORDER BY originator_id, originator_version",
                [i.hex for i in originator_ids],
            )
            return [
                StoredEvent(UUID(str(r[0])), int(r[1]), str(r[2]), bytes(r[3]))
                for r in c.fetchall()
            ]

    def chain_before(self, position: int) -> ChainLink | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT position, digest FROM {self.chain_table_name} "
                "WHERE position < ? ORDER BY position DESC LIMIT 1",
                (position,),
            )
            row = c.fetchone()
            return None if row is None else (int(row[0]), str(row[1]))

    def chain_head(self) -> ChainLink | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT position, digest FROM {self.chain_table_name} "
                "ORDER BY position DESC LIMIT 1"
            )
            row = c.fetchone()
            return None if row is None else (int(row[0]), str(row[1]))


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """PostgreSQL's application recorder, extending ``<events table>_chain`` in each insert."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        refuse_unchainable(
            events_table_name,
            originator_id_type=datastore.originator_id_type,
            enable_db_functions=datastore.enable_db_functions,
        )
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table = SQL("{0}.{1}").format(
            Identifier(datastore.schema), Identifier(f"{events_table_name}_chain")
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (position bigint PRIMARY KEY, digest text NOT NULL)"
            ).format(self.chain_table)
        )
        # Plain arrays instead of eventsourcing's composite-type array: psycopg dumps them
        # several times faster, which is most of a bulk insert's client time.
        self.insert_by_arrays = SQL(
            "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(Identifier(datastore.schema), Identifier(events_table_name))
        # The same insert, made only if none of the aggregates a decision read has moved on
        # since (see application/insert_conditions.py): one statement, no extra round trip.
        self.insert_by_arrays_if_unchanged = SQL(
            "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[]) "
            "WHERE NOT EXISTS (SELECT 1 FROM {0}.{1} AS e "
            "JOIN unnest(%b::uuid[], %b::bigint[]) AS g(id, version) "
            "ON e.originator_id = g.id AND e.originator_version > g.version) "
            "RETURNING notification_id"
        ).format(Identifier(datastore.schema), Identifier(events_table_name))
        self.select_aggregates = query_bytes(
            SQL(
                "SELECT originator_id, originator_version, topic, state FROM {0}.{1} "
                "WHERE originator_id = ANY(%b::uuid[]) "
                "ORDER BY originator_id, originator_version"
            ).format(Identifier(datastore.schema), Identifier(events_table_name))
        )
        self.select_head = SQL(
            "SELECT position, digest FROM {0} ORDER BY position DESC LIMIT 1"
        ).format(self.chain_table)
        # The insert in flight in this thread: the chain's head (or the cursor reading it in
        # the same pipeline) and the events actually inserted. eventsourcing splits an insert
        # over two methods; a thread does one insert at a time.
        self._in_flight = threading.local()
        self.insert_chain = SQL(
            "INSERT INTO {0} (position, digest) SELECT * FROM unnest(%b::bigint[], %b::text[])"
        ).format(self.chain_table)
        # One statement that inserts the events and their chain links, each link computed
        # by the database from the head it reads under the lock: with the lock, NOTIFY and
        # COMMIT in the same pipeline, a command is one round trip and the lock is held for
        # no client time at all. The digests are those of domain.hash_chain.link. (Bytes,
        # like the statements below: composed once, not on every insert.)
        self.insert_chained, self.insert_chained_if_unchanged = (
            query_bytes(
                SQL(
                    "WITH RECURSIVE new AS ({insert} RETURNING notification_id, originator_id, "
                    "originator_version, topic, state), {links} "
                    "SELECT notification_id FROM new ORDER BY notification_id"
                ).format(
                    insert=SQL(insert.as_string().removesuffix(" RETURNING notification_id")),
                    links=chain_links(self.chain_table),
                )
            )
            for insert in (self.insert_by_arrays, self.insert_by_arrays_if_unchanged)
        )
        # The statements around an insert, made into bytes once (composing them on every
        # insert costs more than sending them).
        self.lock_bytes = [query_bytes(statement) for statement in self.lock_table_statements]
        self.notify_bytes = (
            SQL("NOTIFY {0}").format(Identifier(self.channel_name)).as_string().encode()
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self,
        stored_events: Sequence[StoredEvent],
        *,
        conditions: InsertConditions | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        """A few events (a command) in one round trip: lock, insert with links, commit,
        sent as one query, so that no client time is spent while the table lock is held.

        A sealed close (its seal needs the head before its events are made) and large
        batches go the two-step way of :meth:`_insert_stored_events`. Raises
        :class:`StaleDecision` when an aggregate the decision read has moved on (nothing
        is inserted), eventsourcing's IntegrityError when a version is taken.
        """
        if (
            not stored_events
            or len(stored_events) > SQL_CHAIN_MAX_EVENTS
            or (conditions is not None and conditions.seal is not None)
        ):
            inserted: Sequence[int] | None = super().insert_events(
                stored_events, conditions=conditions, **kwargs
            )
            return inserted
        columns = columns_of(stored_events)
        if conditions and conditions.unchanged:
            statement = self.insert_chained_if_unchanged
            params: tuple[Any, ...] = (
                *columns,
                list(conditions.unchanged),
                list(conditions.unchanged.values()),
            )
        else:
            statement, params = self.insert_chained, columns
        ids = [int(row["notification_id"]) for row in self.execute_locked(statement, params)]
        if len(ids) != len(stored_events):
            raise StaleDecision("an aggregate the decision read changed before the insert")
        return ids

    def execute_locked(self, statement: bytes, params: Sequence[Any]) -> list[DictRow]:
        """``BEGIN``, the table lock, ``NOTIFY``, ``statement`` and ``COMMIT``, pipelined:
        one round trip, so the lock is held for the server's work and the commit's flush,
        never for client time. ``statement`` is prepared on each pooled connection the
        first time: planning the chained insert cost the server twice what running it
        does (0.48 ms against 0.21 ms, EXPLAIN ANALYZE). Its rows are returned."""
        with (
            self.datastore.get_connection() as conn,
            conn.cursor() as control,
            conn.cursor() as insert,
        ):
            try:
                with conn.pipeline():
                    control.execute(b"BEGIN")
                    for lock in self.lock_bytes:
                        control.execute(lock)
                    control.execute(self.notify_bytes)
                    insert.execute(statement, params, prepare=True)
                    control.execute(b"COMMIT")
            except BaseException:
                # Closed, not reused: after an aborted pipeline psycopg's record of the
                # statements it prepared can disagree with the server's (seen as
                # 'prepared statement "_pg3_N" does not exist' on the connection's next
                # insert). The pool opens a fresh connection in its place.
                conn.close()
                raise
            return insert.fetchall()

    def _insert_stored_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        *,
        conditions: InsertConditions | None = None,
        **_: Any,
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        head: str | Cursor[DictRow]
        if conditions and conditions.seal is not None:
            # A close is sealed with the head as it is under the lock: one more round
            # trip, for quarter closes only.
            curs.execute(self.select_head)
            found = curs.fetchone()
            link_ = None if found is None else (int(found["position"]), str(found["digest"]))
            stored_events = conditions.seal(link_, stored_events)
            head = link_[1] if link_ else GENESIS
        else:
            # Read the chain's head in the same pipeline, under the lock: no extra round trip.
            head = curs.connection.cursor()
            head.execute(self.select_head)
        self._in_flight.insert = (head, stored_events)
        columns = columns_of(stored_events)
        if conditions and conditions.unchanged:
            curs.execute(
                self.insert_by_arrays_if_unchanged,
                (*columns, list(conditions.unchanged), list(conditions.unchanged.values())),
            )
        else:
            curs.execute(self.insert_by_arrays, columns)

    def _fetch_ids_after_insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],  # noqa: ARG002 - a sealed close replaced them
        **kwargs: Any,
    ) -> Sequence[int] | None:
        head, inserted = self._in_flight.insert
        del self._in_flight.insert
        if isinstance(head, str):
            previous = head
        else:
            with head as head_cursor:
                found = head_cursor.fetchone()
            previous = str(found["digest"]) if found else GENESIS
        ids = super()._fetch_ids_after_insert_events(curs, inserted, **kwargs)
        assert ids is not None
        if len(ids) != len(inserted):
            raise StaleDecision("an aggregate the decision read changed before the insert")
        links = extend_chain(previous, ids, inserted)
        curs.execute(self.insert_chain, ([p for p, _ in links], [d for _, d in links]))
        return ids

    def refresh_statistics(self) -> None:
        """``ANALYZE`` the events table, so the planner knows how many events it holds
        (projections/runner.py calls it before a long catch-up)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("ANALYZE {0}.{1}").format(
                    Identifier(self.datastore.schema), Identifier(self.events_table_name)
                )
            )

    def select_chain(self, start: int, limit: int) -> list[ChainLink]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT position, digest FROM {0} WHERE position >= %s "
                    "ORDER BY position LIMIT %s"
                ).format(self.chain_table),
                (start, limit),
            )
            return [(int(row["position"]), str(row["digest"])) for row in curs.fetchall()]

    def select_stored(self, start: int, limit: int) -> list[StoredRow]:
        """Rows exactly as stored, unconverted, for verification and export."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    # The id as SQLite stores it (32 hex digits): rows of both stores read alike.
                    "SELECT notification_id, "
                    "replace(originator_id::text, '-', '') AS originator_id, "
                    "originator_version, topic, state FROM {0}.{1} "
                    "WHERE notification_id >= %s ORDER BY notification_id LIMIT %s"
                ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name)),
                (start, limit),
            )
            return [
                StoredRow(  # as stored: see StoredRow
                    r["notification_id"],
                    r["originator_id"],
                    r["originator_version"],
                    r["topic"],
                    r["state"],
                )
                for r in curs.fetchall()
            ]

    def select_first_events(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """The first event of each of these aggregates that exists, in one query."""
        if not originator_ids:
            return []
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT originator_id, originator_version, topic, state FROM {0}.{1} "
                    "WHERE originator_id = ANY(%b::uuid[]) AND originator_version = 1"
                ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name)),
                (list(originator_ids),),
            )
            return [
                StoredEvent(
                    r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
                )
                for r in curs.fetchall()
            ]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_aggregate_events(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every event of these aggregates, in one query, by aggregate then version."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_aggregates, (list(originator_ids),), prepare=True)
            return [
                StoredEvent(
                    r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
                )
                for r in curs.fetchall()
            ]

    def chain_before(self, position: int) -> ChainLink | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT position, digest FROM {0} WHERE position < %s "
                    "ORDER BY position DESC LIMIT 1"
                ).format(self.chain_table),
                (position,),
            )
            row = curs.fetchone()
            return None if row is None else (int(row["position"]), str(row["digest"]))

    def chain_head(self) -> ChainLink | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_head)
            row = curs.fetchone()
            return None if row is None else (int(row["position"]), str(row["digest"]))


def query_bytes(query: object) -> bytes:
    """A statement eventsourcing composed (SQL, Composed, str or bytes), as bytes."""
    if isinstance(query, Composable):
        return query.as_string().encode()
    if isinstance(query, str):
        return query.encode()
    assert isinstance(query, bytes), query
    return query


def columns_of(stored_events: Sequence[StoredEvent]) -> tuple[list[Any], ...]:
    """The events as the insert statements' four arrays: originator ids, versions, topics
    and states, in the events' order."""
    return (
        [e.originator_id for e in stored_events],
        [e.originator_version for e in stored_events],
        [e.topic for e in stored_events],
        [e.state for e in stored_events],
    )
