"""Who caused an event, why, and by which command: carried by every event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate


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

    class Created(Event, Aggregate.Created):
        pass
