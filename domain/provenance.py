"""Who caused an event, why, and by which command: carried by every event.

Also when: an event's timestamp is its *recorded time*, when the service learned the fact.
It is the system clock, except inside :func:`recorded_at`, which only the sample year
(``quarterly demo``) uses, to tell the story of a year whose facts were recorded as it
happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate, datetime_now_with_tzinfo

_RECORDED_AT: ContextVar[datetime | None] = ContextVar("recorded_at", default=None)


@contextmanager
def recorded_at(moment: datetime) -> Iterator[None]:
    """Events created inside carry ``moment`` (timezone-aware) as their recorded time.

    Raises ValueError for a naive datetime. Only sample data may set the clock: every
    command from a person or a schedule is recorded when it arrives."""
    if moment.tzinfo is None:
        raise ValueError("a recorded time needs a time zone")
    token = _RECORDED_AT.set(moment)
    try:
        yield
    finally:
        _RECORDED_AT.reset(token)


@dataclass(frozen=True)
class Provenance:
    command_id: str
    actor: str | None = None
    reason: str | None = None

    def event_fields(self) -> dict[str, Any]:
        return {"command_id": self.command_id, "actor": self.actor, "reason": self.reason}


class RecordedAggregate(Aggregate):
    """Base of our aggregates: every event says who, why and which command."""

    class Event(Aggregate.Event):
        command_id: str
        actor: str | None
        reason: str | None

        @staticmethod
        def create_timestamp() -> datetime:
            return _RECORDED_AT.get() or datetime_now_with_tzinfo()

    class Created(Event, Aggregate.Created):
        pass
