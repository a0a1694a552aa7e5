"""Read models of the registers: milestones (with their status and RAG), projects' status
rows, and every assessment of every risk.

- ``qr_milestones``: one row per milestone, its dates and revisions;
- ``qr_milestone_status``: the status and RAG each milestone last had;
- ``qr_projects``: each project's status row as last reported;
- ``qr_risk_assessments``: one row per assessment, so that the register can be read as it
  stood at any moment and each risk's history and direction of travel follow from it.
"""

from __future__ import annotations

import json

from domain.milestones import Milestone
from domain.projects import Project
from domain.risks import Risk
from projections.projection_batch import ProjectionBatch, dump

RISK_ASSESSMENT_COLUMNS = (
    "position",
    "ref",
    "recorded_at",
    "actor",
    "reason",
    "command_id",
    "title",
    "owner",
    "category",
    "mitigation",
    "impact",
    "likelihood",
)

MilestoneEvent = Milestone.Defined | Milestone.Revised | Milestone.Completed | Milestone.StatusSet


def milestone_changed(
    batch: ProjectionBatch, event: MilestoneEvent, position: int, recorded_at: str
) -> None:
    """Applies one event of a milestone."""
    cursor = batch.cursor
    key = {"project": event.project, "milestone": event.milestone}
    if isinstance(event, Milestone.Defined):
        cursor.execute(
            """INSERT INTO qr_milestones
               (project, milestone, due, current_due, completed_on, revisions, position)
               VALUES (:project, :milestone, :due, :due, NULL, '[]', :position)""",
            {**key, "due": event.due, "position": position},
        )
    elif isinstance(event, Milestone.Revised):
        cursor.execute(
            "SELECT revisions FROM qr_milestones "
            "WHERE project = :project AND milestone = :milestone",
            key,
        )
        found = cursor.fetchone()
        revisions = json.loads(found[0]) if found else []
        revisions.append(
            {"revised_due": event.revised_due, "reason": event.reason, "recorded_at": recorded_at}
        )
        cursor.execute(
            """UPDATE qr_milestones SET current_due = :due, revisions = :revisions,
                 position = :position
               WHERE project = :project AND milestone = :milestone""",
            {**key, "due": event.revised_due, "revisions": dump(revisions), "position": position},
        )
    elif isinstance(event, Milestone.Completed):
        cursor.execute(
            """UPDATE qr_milestones SET completed_on = :done, position = :position
               WHERE project = :project AND milestone = :milestone""",
            {**key, "done": event.completed_on, "position": position},
        )
    else:
        cursor.execute(
            """INSERT INTO qr_milestone_status
               (project, milestone, status, rag, recorded_at, position)
               VALUES (:project, :milestone, :status, :rag, :recorded_at, :position)
               ON CONFLICT (project, milestone) DO UPDATE SET status = excluded.status,
                 rag = excluded.rag, recorded_at = excluded.recorded_at,
                 position = excluded.position""",
            {
                **key,
                "status": event.status,
                "rag": event.rag,
                "recorded_at": recorded_at,
                "position": position,
            },
        )


def project_reported(
    batch: ProjectionBatch, event: Project.Reported, position: int, recorded_at: str
) -> None:
    """A project's status row, replacing the one before."""
    status = event.status
    batch.cursor.execute(
        """INSERT INTO qr_projects
           (project, overall, milestones, budget, risks, headline, recorded_at, position)
           VALUES (:project, :overall, :milestones, :budget, :risks, :headline,
                   :recorded_at, :position)
           ON CONFLICT (project) DO UPDATE SET overall = excluded.overall,
             milestones = excluded.milestones, budget = excluded.budget,
             risks = excluded.risks, headline = excluded.headline,
             recorded_at = excluded.recorded_at, position = excluded.position""",
        {
            "project": event.project,
            **{name: status.get(name) for name in ("overall", "milestones", "budget", "risks")},
            "headline": status.get("headline"),
            "recorded_at": recorded_at,
            "position": position,
        },
    )


def risk_assessed(
    batch: ProjectionBatch,
    event: Risk.Registered | Risk.Reassessed,
    position: int,
    recorded_at: str,
) -> None:
    """One assessment of a risk, kept beside every earlier one."""
    batch.add_row(
        "qr_risk_assessments",
        RISK_ASSESSMENT_COLUMNS,
        (
            position,
            event.ref,
            recorded_at,
            event.actor,
            event.reason,
            event.command_id,
            event.title,
            event.owner,
            event.category,
            event.mitigation,
            event.impact,
            event.likelihood,
        ),
    )
