"""Milestones of major projects: an original due date, revisions, completion, and the status
and RAG the project reports for each (the seeds' "Status" and "RAG" columns)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.errors import BadInput, Conflict
from domain.identity import milestone_id
from domain.milestone_dates import MilestoneDate, slippage_days, slippage_months
from domain.provenance import Provenance, RecordedAggregate
from domain.rag import Rag
from domain.text import shows_something

__all__ = ["Milestone", "MilestoneDate", "slippage_days", "slippage_months"]

AnyDate = MilestoneDate | date


def _parse(text: str, field: str) -> MilestoneDate:
    return MilestoneDate.parse(text, field=field)


class Milestone(RecordedAggregate):
    """Dates are stored as ISO text, to the day or to the month (``2016-09``)."""

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
            aggregate.current_due = _parse(self.revised_due, "revised_due")

    class Completed(Event):
        class_version = 1

        completed_on: str

        def apply(self, aggregate: Any) -> None:
            aggregate.completed_on = _parse(self.completed_on, "completed_on")

    class StatusSet(Event):
        """The milestone's status (free text: Completed, On track, Part approved) and RAG
        as the project now reports them; None: not given (or cleared)."""

        class_version = 1

        status: str | None
        rag: str | None
        previous_status: str | None
        previous_rag: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.status = self.status
            aggregate.rag = None if self.rag is None else Rag(self.rag)

    def __init__(self, project: str, milestone: str, due: str) -> None:
        self.project = project
        self.milestone = milestone
        self.due = _parse(due, "due")
        self.current_due = self.due
        self.completed_on: MilestoneDate | None = None
        self.status: str | None = None
        self.rag: Rag | None = None

    def _identity(self, provenance: Provenance) -> dict[str, Any]:
        return {"project": self.project, "milestone": self.milestone, **provenance.event_fields()}

    @classmethod
    def define(
        cls, project: str, milestone: str, due: AnyDate, provenance: Provenance
    ) -> Milestone:
        if not shows_something(project):
            raise BadInput("must not be empty", field="project")
        if not shows_something(milestone):
            raise BadInput("must not be empty", field="milestone")
        return cls._create(
            cls.Defined,
            id=milestone_id(project, milestone),
            project=project,
            milestone=milestone,
            due=str(MilestoneDate.of(due)),
            **provenance.event_fields(),
        )

    def revise(self, revised_due: AnyDate, provenance: Provenance) -> None:
        if self.completed_on is not None:
            raise Conflict(
                f"milestone {self.milestone!r} was completed on "
                f"{self.completed_on}; it cannot be revised",
                field="milestone",
            )
        self.trigger_event(
            self.Revised,
            revised_due=str(MilestoneDate.of(revised_due)),
            previous_due=str(self.current_due),
            **self._identity(provenance),
        )

    def complete(self, completed_on: AnyDate, provenance: Provenance) -> None:
        if self.completed_on is not None:
            raise Conflict(
                f"milestone {self.milestone!r} was already completed on {self.completed_on}",
                field="milestone",
            )
        self.trigger_event(
            self.Completed,
            completed_on=str(MilestoneDate.of(completed_on)),
            **self._identity(provenance),
        )

    def set_status(self, status: str | None, rag: Rag | None, provenance: Provenance) -> bool:
        """Records the status and RAG as they now stand (both, as they will be shown).
        Returns False, recording nothing, when both are already so."""
        if status is not None and not shows_something(status):
            raise BadInput(
                "must not be blank (leave it out to keep it, null to clear it)", field="status"
            )
        if (status, rag) == (self.status, self.rag):
            return False
        self.trigger_event(
            self.StatusSet,
            status=status,
            rag=None if rag is None else rag.value,
            previous_status=self.status,
            previous_rag=None if self.rag is None else self.rag.value,
            **self._identity(provenance),
        )
        return True
