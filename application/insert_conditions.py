"""What must still hold when a decision's events are inserted, checked by the recorder
under the store's write lock (the lock that also orders notifications).

A command is decided on what the store held when it was read; a quarter may close between
that read and the insert. Checking the reporting year's version again *inside* the insert's
lock makes a close and a write for its quarter conflict in the store itself: whichever is
inserted second sees the other, so a write is either stored before the close (in
notification order) or decided again, and then refused or stored as a restatement.

The seal of a quarter close is likewise computed under that lock, from the chain's head at
that moment and the events inserted before the close in the same transaction, so every
seal covers every event stored before its close.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

ChainLink = tuple[int, str]  # (notification position, digest)

# Given the chain's head before the insert (None for an empty store) and the events about
# to be inserted, returns the events to insert instead (quarter closes sealed).
Sealer = Callable[[ChainLink | None, Sequence[StoredEvent]], list[StoredEvent]]


class StaleDecision(IntegrityError):
    """An aggregate the decision read has changed since: nothing was inserted; decide again."""


@dataclass(frozen=True)
class InsertConditions:
    """Passed to the recorder as the ``conditions`` keyword of ``insert_events``.

    ``unchanged``: aggregate id -> the version the decision read (0: it did not exist); if
    any of them has a later version in the store, the recorder inserts nothing and raises
    :class:`StaleDecision`. ``seal``: when set, called under the lock to seal closes.
    """

    unchanged: dict[UUID, int] = field(default_factory=dict)
    seal: Sealer | None = None

    def __bool__(self) -> bool:
        return bool(self.unchanged) or self.seal is not None
