"""Milestones of major projects: an original due date, revisions, completion."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.errors import BadInput, Conflict
from domain.identity import milestone_id
from domain.provenance import Provenance, RecordedAggregate


def slippage_days(due: date, current_due: date) -> int:
    """Days the milestone has moved: positive when later, negative when earlier."""
    return (current_due - due).days


class Milestone(RecordedAggregate):
    class Event(RecordedAggregate.Event):
        project: str
        milestone: str

    class Defined(Event, RecordedAggregate.Created):
        class_version = 1

        due: str

    class Revised(Event):
        class_version = 1

        revised_due: str
        previous_due: str

        def apply(self, aggregate: Any) -> None:
            aggregate.current_due = date.fromisoformat(self.revised_due)

    class Completed(Event):
        class_version = 1

        completed_on: str

        def apply(self, aggregate: Any) -> None:
            aggregate.completed_on = date.fromisoformat(self.completed_on)

    def __init__(self, project: str, milestone: str, due: str) -> None:
        self.project = project
        self.milestone = milestone
        self.due = date.fromisoformat(due)
        self.current_due = self.due
        self.completed_on: date | None = None

    def _identity(self, provenance: Provenance) -> dict[str, Any]:
        return {"project": self.project, "milestone": self.milestone, **provenance.event_fields()}

    @classmethod
    def define(cls, project: str, milestone: str, due: date, provenance: Provenance) -> Milestone:
        if not project.strip():
            raise BadInput("must not be empty", field="project")
        if not milestone.strip():
            raise BadInput("must not be empty", field="milestone")
        return cls._create(
            cls.Defined,
            id=milestone_id(project, milestone),
            project=project,
            milestone=milestone,
            due=due.isoformat(),
            **provenance.event_fields(),
        )

    def revise(self, revised_due: date, provenance: Provenance) -> None:
        if self.completed_on is not None:
            raise Conflict(
                f"milestone {self.milestone!r} was completed on "
                f"{self.completed_on.isoformat()}; it cannot be revised",
                field="milestone",
            )
        self.trigger_event(
            self.Revised,
            revised_due=revised_due.isoformat(),
            previous_due=self.current_due.isoformat(),
            **self._identity(provenance),
        )

    def complete(self, completed_on: date, provenance: Provenance) -> None:
        if self.completed_on is not None:
            raise Conflict(
                f"milestone {self.milestone!r} was already completed on "
                f"{self.completed_on.isoformat()}",
                field="milestone",
            )
        self.trigger_event(
            self.Completed,
            completed_on=completed_on.isoformat(),
            **self._identity(provenance),
        )
