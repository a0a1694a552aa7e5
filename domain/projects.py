"""A major project's overall status row, as the seeds' "Major Projects Summary" prints it:
RAGs for the project overall, its milestones, budget and risks, and a headline."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from domain.errors import BadInput
from domain.identity import project_id
from domain.provenance import Provenance, RecordedAggregate
from domain.rag import Rag
from domain.text import shows_something

# The RAG columns of the status row, in the seeds' order.
STATUS_RAGS = ("overall", "milestones", "budget", "risks")


@dataclass(frozen=True)
class ProjectStatus:
    """The status row as it stands; None: not reported (or cleared)."""

    overall: Rag | None = None
    milestones: Rag | None = None
    budget: Rag | None = None
    risks: Rag | None = None
    headline: str | None = None

    def __post_init__(self) -> None:
        if self.headline is not None and not shows_something(self.headline):
            raise BadInput(
                "must not be blank (leave it out to keep it, null to clear it)", field="headline"
            )

    def stored(self) -> dict[str, Any]:
        """As the event stores it: RAGs as their plain strings."""
        return {
            name: value.value if isinstance(value, Rag) else value
            for name, value in asdict(self).items()
        }

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> ProjectStatus:
        return cls(
            **{
                name: None if stored.get(name) is None else Rag(stored[name])
                for name in STATUS_RAGS
            },
            headline=stored.get("headline"),
        )


class Project(RecordedAggregate):
    """Opened by its first status report; every report after replaces the row."""

    class Event(RecordedAggregate.Event):
        project: str

    class Opened(Event, RecordedAggregate.Created):
        class_version = 1

    class Reported(Event):
        class_version = 1

        status: dict[str, Any]  # ProjectStatus.stored()
        previous: dict[str, Any] | None

        def apply(self, aggregate: Any) -> None:
            aggregate.status = ProjectStatus.from_stored(self.status)

    def __init__(self, project: str) -> None:
        self.project = project
        self.status: ProjectStatus | None = None

    @classmethod
    def open(cls, project: str, provenance: Provenance) -> Project:
        if not shows_something(project):
            raise BadInput("must not be empty", field="project")
        return cls._create(
            cls.Opened, id=project_id(project), project=project, **provenance.event_fields()
        )

    def report(self, status: ProjectStatus, provenance: Provenance) -> bool:
        """Records the row as it now stands. Returns False, recording nothing, when it
        already stands so."""
        if status == self.status:
            return False
        self.trigger_event(
            self.Reported,
            project=self.project,
            status=status.stored(),
            previous=None if self.status is None else self.status.stored(),
            **provenance.event_fields(),
        )
        return True
