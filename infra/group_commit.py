"""Group commit: the concurrent inserts of one process stored in one transaction.

Every insert takes the store's write lock and ends with a commit, which waits for the
write-ahead log to reach the disk. Commands arriving together from the threads of one
process (an HTTP server's request threads, a writer with several threads) are gathered
here and written as one transaction: one lock, one statement, one flush for all of them.

Each command is still its own: decided by its own thread on the state it read, checked
on its own under the lock (an aggregate it read has moved on: :class:`StaleDecision`; a
version it writes is taken: ``IntegrityError``) and stored or refused on its own, so one
command's conflict never refuses its neighbours. Commands that touch the same aggregate
(one writes what the other reads or writes) never share a group: the later one waits for
the next, and is then checked against what the earlier one stored.

How it works (leader and followers): a thread hands its insert to :class:`GroupCommit` and
waits. Whenever no group is being written, the first waiting thread becomes the leader:
it takes every queued insert that fits (in arrival order, up to :data:`MAX_GROUP_EVENTS`),
writes them with the store's ``write_group``, hands each its outcome and wakes the
others. Nothing waits on a timer: a thread alone writes at once, and the inserts that
queue while one group is in flight form the next.

A group that takes longer than :data:`STALL_SECONDS` (its connection stalled, say) does not
hold up the queue: a waiting thread then leads the next group beside it, on another
connection, and the database's lock orders the two. Only the stalled group's own commands
wait for it, as one command alone would wait for its connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import StoredEvent

# A group's events, at most: the statement computes one chain link per event.
MAX_GROUP_EVENTS = 128
# A group in flight for longer than this no longer keeps the next group waiting.
STALL_SECONDS = 2.0


@dataclass(eq=False)
class PendingInsert:
    """One command's events, waiting to be stored with others.

    ``unchanged``: aggregate id -> the version the decision read (0: it did not exist), as
    in :class:`application.insert_conditions.InsertConditions`.
    """

    events: Sequence[StoredEvent]
    unchanged: Mapping[UUID, int] = field(default_factory=dict)
    _outcome: list[int] | BaseException | None = None

    @property
    def written(self) -> frozenset[UUID]:
        return frozenset(UUID(str(event.originator_id)) for event in self.events)

    def expected(self) -> list[tuple[UUID, int, bool]]:
        """What must hold under the lock, as ``(aggregate id, version, written)``: no
        stored event of that aggregate may be later than ``version``. For an aggregate
        the command writes, that version is the one before its first new event."""
        first: dict[UUID, int] = {}
        for event in self.events:
            key = UUID(str(event.originator_id))
            first[key] = min(first.get(key, event.originator_version), event.originator_version)
        return [(key, version, False) for key, version in self.unchanged.items()] + [
            (key, version - 1, True) for key, version in first.items()
        ]

    def conflicts_with(self, other: PendingInsert) -> bool:
        """Whether the two touch one aggregate and either writes it (they cannot share
        a group: the later must be checked against what the earlier stores)."""
        mine, theirs = self.written, other.written
        return bool(mine & theirs or mine & set(other.unchanged) or theirs & set(self.unchanged))

    @property
    def done(self) -> bool:
        return self._outcome is not None

    def settle(self, outcome: list[int] | BaseException) -> None:
        self._outcome = outcome

    def result(self) -> list[int]:
        """The notification ids of the stored events; raises the command's own error."""
        outcome = self._outcome
        assert outcome is not None, "not written yet"
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


# Writes a group in one transaction; returns, for each insert in order, its notification
# ids or the error that refused it alone. Raising refuses the whole group (nothing stored).
GroupWriter = Callable[[list[PendingInsert]], list[list[int] | BaseException]]


class GroupCommit:
    """Gathers concurrent inserts into groups written by ``write_group`` (one per process
    and store: the recorder owns it). Thread-safe; counts groups for the bench."""

    def __init__(
        self,
        write_group: GroupWriter,
        *,
        max_events: int = MAX_GROUP_EVENTS,
        stall_seconds: float = STALL_SECONDS,
    ) -> None:
        self._write_group = write_group
        self._max_events = max_events
        self._stall_seconds = stall_seconds
        self._changed = threading.Condition()
        self._queue: list[PendingInsert] = []
        self._in_flight: list[float] = []  # when each group being written started
        self.groups = 0
        self.inserts = 0

    def insert(self, pending: PendingInsert) -> list[int]:
        """Stores ``pending`` with whatever else is waiting; its notification ids.

        Raises :class:`~application.insert_conditions.StaleDecision` or eventsourcing's
        ``IntegrityError`` when this insert alone was refused, and the group's error (a
        lost connection, say) when nothing of the group was stored.
        """
        with self._changed:
            self._queue.append(pending)
        while True:
            with self._changed:
                while not pending.done and not self._may_lead(pending):
                    self._changed.wait(self._until_stalled())
                if pending.done:
                    return pending.result()
                group = self._take_group()
                started = time.monotonic()
                self._in_flight.append(started)
            try:
                self._write(group)
            finally:
                with self._changed:
                    self._in_flight.remove(started)
                    self._changed.notify_all()

    def _may_lead(self, pending: PendingInsert) -> bool:
        """Whether this waiting thread may write the next group now: its insert is still
        queued (not in a group being written), and no group is being written or the
        latest has stalled. Called with the condition held."""
        if not any(queued is pending for queued in self._queue):
            return False
        if not self._in_flight:
            return True
        return time.monotonic() - max(self._in_flight) >= self._stall_seconds

    def _until_stalled(self) -> float | None:
        """How long to wait before the latest group in flight counts as stalled."""
        if not self._in_flight:
            return None
        waited = time.monotonic() - max(self._in_flight)
        return max(self._stall_seconds - waited, 0.001)

    def _take_group(self) -> list[PendingInsert]:
        """The queued inserts that can share a transaction, oldest first (the oldest
        always). Called with the condition held."""
        group: list[PendingInsert] = []
        size = 0
        for pending in self._queue:
            if group and size + len(pending.events) > self._max_events:
                break
            if any(pending.conflicts_with(taken) for taken in group):
                continue
            group.append(pending)
            size += len(pending.events)
        taken_ids = {id(pending) for pending in group}
        self._queue = [pending for pending in self._queue if id(pending) not in taken_ids]
        return group

    def _write(self, group: list[PendingInsert]) -> None:
        """Writes ``group`` and settles every insert in it, whatever happens: the
        outcomes the writer gives, or its error for each insert it did not answer."""
        try:
            outcomes = self._write_group(group)
            if len(outcomes) != len(group):
                raise RuntimeError(
                    f"the group writer answered {len(outcomes)} of {len(group)} inserts"
                )
        except BaseException as error:
            for pending in group:
                pending.settle(error)
            if not isinstance(error, Exception):
                raise
            return
        for pending, outcome in zip(group, outcomes, strict=True):
            pending.settle(outcome)
        with self._changed:
            self.groups += 1
            self.inserts += len(group)
