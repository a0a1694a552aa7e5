"""The commands of the registers: milestones of major projects, a project's status row, and
the strategic risk register."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import StrictStr, model_validator

from application.command_base import BaseCommand
from application.command_fields import Code, MilestoneDay, Name, RagField, Rating, Text
from domain.errors import BadInput


class DefineMilestone(BaseCommand):
    type: Literal["define_milestone"]
    project: Name
    milestone: Name
    due: MilestoneDay


class ReviseMilestone(BaseCommand):
    type: Literal["revise_milestone"]
    project: Name
    milestone: Name
    revised_due: MilestoneDay


class CompleteMilestone(BaseCommand):
    type: Literal["complete_milestone"]
    project: Name
    milestone: Name
    completed_on: MilestoneDay


class SetMilestoneStatus(BaseCommand):
    """A milestone's status (free text: Completed, On track, Part approved) and RAG. A field
    left out keeps its value; one given as ``null`` clears it; at least one is given."""

    digest_given_fields_only: ClassVar[bool] = True

    type: Literal["set_milestone_status"]
    project: Name
    milestone: Name
    status: Text | None = None
    rag: RagField | None = None

    @model_validator(mode="after")
    def _gives_something(self) -> SetMilestoneStatus:
        if not {"status", "rag"} & self.model_fields_set:
            # Not a ValueError: pydantic passes it through, so the refusal names a field.
            raise BadInput("give status, rag or both", field="status")
        return self


class ReportProject(BaseCommand):
    """A project's status row: RAGs overall and for its milestones, budget and risks, and a
    headline. A field left out keeps its value; one given as ``null`` clears it."""

    digest_given_fields_only: ClassVar[bool] = True

    type: Literal["report_project"]
    project: Name
    overall: RagField | None = None
    milestones: RagField | None = None
    budget: RagField | None = None
    risks: RagField | None = None
    headline: Text | None = None

    @model_validator(mode="after")
    def _gives_something(self) -> ReportProject:
        if not set(self.changes()):
            raise BadInput(
                "give at least one of overall, milestones, budget, risks, headline",
                field="overall",
            )
        return self

    def changes(self) -> dict[str, Any]:
        """The fields of the row this command sets, by name (None: cleared)."""
        fields = ("overall", "milestones", "budget", "risks", "headline")
        return {name: getattr(self, name) for name in fields if name in self.model_fields_set}


class AssessRisk(BaseCommand):
    """Scores a risk (registering it the first time). ``title``, ``owner``, ``category`` and
    ``mitigation`` left out keep the values the risk has."""

    added_later: ClassVar[dict[str, object]] = {"category": None, "mitigation": None}

    type: Literal["assess_risk"]
    ref: Code
    impact: Rating
    likelihood: Rating
    title: StrictStr | None = None
    owner: StrictStr | None = None
    category: StrictStr | None = None
    mitigation: StrictStr | None = None
