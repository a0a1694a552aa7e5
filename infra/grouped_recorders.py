"""The chained recorders with group commit (:mod:`infra.group_commit`): a command's insert
waits for, and shares, one transaction with the inserts other threads of the process make
at the same moment.

Inserts that group commit does not take go the chained recorders' own way: a quarter close
(sealed from the chain's head under the lock), a batch of more than
:data:`~infra.chained_recorders.SQL_CHAIN_MAX_EVENTS` events (bulk imports), nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from application.insert_conditions import InsertConditions, StaleDecision
from infra.chained_recorders import (
    SQL_CHAIN_MAX_EVENTS,
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
    ImmediateTransaction,
    chain_links,
    columns_of,
    query_bytes,
)
from infra.group_commit import GroupCommit, PendingInsert


def _grouped(
    stored_events: Sequence[StoredEvent], conditions: InsertConditions | None
) -> PendingInsert | None:
    """The insert as group commit takes it, or None when it must go alone."""
    if not stored_events or len(stored_events) > SQL_CHAIN_MAX_EVENTS:
        return None
    if conditions is not None and conditions.seal is not None:
        return None
    versions = {(event.originator_id, event.originator_version) for event in stored_events}
    if len(versions) < len(stored_events):
        return None  # one version twice: refused alone, never taking a group down with it
    return PendingInsert(stored_events, dict(conditions.unchanged) if conditions else {})


def _taken() -> IntegrityError:
    return IntegrityError(
        "an event version this command writes was stored by another command first"
    )


def _stale() -> StaleDecision:
    return StaleDecision("an aggregate the decision read changed before the insert")


class GroupCommittingPostgresApplicationRecorder(ChainedPostgresApplicationRecorder):
    """:class:`ChainedPostgresApplicationRecorder` whose command inserts are grouped.

    A group is one round trip: ``BEGIN``, the table lock, ``NOTIFY``, one (prepared)
    statement and ``COMMIT``, pipelined. The statement checks every command's conditions
    against the table as it is under the lock, inserts the events of the commands that
    pass (in arrival order) with their chain links computed in SQL, and answers which
    commands were refused and why.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.group_commit = GroupCommit(self.write_group)
        events = SQL("{0}.{1}").format(Identifier(datastore.schema), Identifier(events_table_name))
        statement = SQL(
            "WITH RECURSIVE candidate AS (SELECT * FROM unnest(%b::int[], %b::uuid[], "
            "%b::bigint[], %b::text[], %b::bytea[]) WITH ORDINALITY "
            "AS c(command, originator_id, originator_version, topic, state, ord)), "
            "expected AS (SELECT * FROM unnest(%b::int[], %b::uuid[], %b::bigint[], "
            "%b::bool[]) AS x(command, id, version, written)), "
            # Refused: a command one of whose aggregates has moved past what it expects.
            # A moved aggregate it only read makes it stale (decide again); only written
            # ones moved: its version is taken (perhaps by its own earlier attempt).
            "refused AS (SELECT x.command, bool_and(x.written) AS taken FROM expected AS x "
            "WHERE EXISTS (SELECT 1 FROM {events} AS e WHERE e.originator_id = x.id "
            "AND e.originator_version > x.version) GROUP BY x.command), "
            "new AS (INSERT INTO {events} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state FROM candidate "
            "WHERE command NOT IN (SELECT command FROM refused) ORDER BY ord "
            "RETURNING notification_id, originator_id, originator_version, topic, state), "
            "{links} "
            "SELECT notification_id, originator_id, originator_version, "
            "NULL::int AS command, NULL::bool AS taken FROM new "
            "UNION ALL SELECT NULL, NULL, NULL, command, taken FROM refused"
        ).format(events=events, links=chain_links(self.chain_table))
        self.insert_group = query_bytes(statement)  # composed once, not per group

    def insert_events(
        self,
        stored_events: Sequence[StoredEvent],
        *,
        conditions: InsertConditions | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        """A command's events, stored in a group with other threads' (see the class);
        raises as the chained recorder does, for this command alone."""
        pending = _grouped(stored_events, conditions)
        ids: Sequence[int] | None
        if pending is None:
            ids = super().insert_events(stored_events, conditions=conditions, **kwargs)
        else:
            ids = self._insert_pending(pending)
        return ids

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_pending(self, pending: PendingInsert) -> list[int]:
        # A retry after a lost connection may find its own events stored: then its
        # versions are taken, and the ledger finds its receipt (already stored).
        return self.group_commit.insert(PendingInsert(pending.events, pending.unchanged))

    def write_group(self, group: list[PendingInsert]) -> list[list[int] | BaseException]:
        commands: list[int] = []
        events: list[StoredEvent] = []
        expected: list[tuple[int, UUID, int, bool]] = []
        for number, pending in enumerate(group):
            commands.extend([number] * len(pending.events))
            events.extend(pending.events)
            expected.extend((number, *condition) for condition in pending.expected())
        params = (
            commands,
            *columns_of(events),
            [x[0] for x in expected],
            [x[1] for x in expected],
            [x[2] for x in expected],
            [x[3] for x in expected],
        )
        return _outcomes(group, events, commands, self.execute_locked(self.insert_group, params))


def _outcomes(
    group: list[PendingInsert],
    events: list[StoredEvent],
    commands: list[int],
    rows: Sequence[Any],
) -> list[list[int] | BaseException]:
    """Each command's notification ids or refusal, from the group statement's answer."""
    command_of = {
        (UUID(str(e.originator_id)), e.originator_version): n
        for e, n in zip(events, commands, strict=True)
    }
    outcomes: list[list[int] | BaseException] = [[] for _ in group]
    for row in sorted(rows, key=lambda r: r["notification_id"] or 0):
        if row["command"] is not None:
            number = int(row["command"])
            outcomes[number] = _taken() if row["taken"] else _stale()
            continue
        key = (UUID(str(row["originator_id"])), int(row["originator_version"]))
        ids = outcomes[command_of[key]]
        assert isinstance(ids, list)
        ids.append(int(row["notification_id"]))
    for number, (pending, outcome) in enumerate(zip(group, outcomes, strict=True)):
        if isinstance(outcome, list) and len(outcome) != len(pending.events):
            # Cannot happen (a command's events pass or fail together); answered for
            # this command alone, so that its neighbours still get their own answers.
            outcomes[number] = IntegrityError("the group insert stored part of a command")
    return outcomes


class GroupCommittingSQLiteApplicationRecorder(ChainedSQLiteApplicationRecorder):
    """:class:`ChainedSQLiteApplicationRecorder` whose command inserts are grouped: one
    ``BEGIN IMMEDIATE`` transaction, each command in a savepoint of its own, one commit."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self.group_commit = GroupCommit(self.write_group)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """A command's events, stored in a group with other threads' (see the class)."""
        conditions = kwargs.get("conditions")
        pending = _grouped(stored_events, conditions)
        if pending is None:
            return super().insert_events(stored_events, **kwargs)
        return self.group_commit.insert(pending)

    def write_group(self, group: list[PendingInsert]) -> list[list[int] | BaseException]:
        outcomes: list[list[int] | BaseException] = []
        with (
            self.datastore.get_connection(commit=True) as connection,
            ImmediateTransaction(connection, self.turns, commit=True) as cursor,
            cursor,
        ):
            for pending in group:
                cursor.execute("SAVEPOINT command")
                try:
                    # The chained recorder's own insert: conditions checked, chain extended.
                    ids = self._insert_events(
                        cursor,
                        pending.events,
                        conditions=InsertConditions(unchanged=dict(pending.unchanged)),
                    )
                except (StaleDecision, sqlite3.IntegrityError) as refusal:
                    cursor.execute("ROLLBACK TO command")
                    cursor.execute("RELEASE command")
                    outcomes.append(refusal if isinstance(refusal, StaleDecision) else _taken())
                    continue
                cursor.execute("RELEASE command")
                assert ids is not None
                outcomes.append(list(ids))
        return outcomes
