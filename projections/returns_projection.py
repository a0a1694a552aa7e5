"""Turns stored events into the cells, history and registers that reports read."""

from __future__ import annotations

from typing import Any

from application.event_topics import topics_of
from domain.access import ApiToken, TokenSecret
from domain.councils import Council, CouncilDirectory, CouncilName
from domain.engagements import Engagement
from domain.measures import total_of
from domain.milestones import Milestone
from domain.projects import Project
from domain.provenance import RecordedAggregate
from domain.quarter_close import ReportingYear
from domain.receipts import CommandReceipt
from domain.risks import Risk
from domain.targets import Target
from projections import cells
from projections.cells import YEAR_CELLS
from projections.council_projection import council_changed, engagement_reached
from projections.projection_batch import ProjectionBatch, dump
from projections.register_projection import milestone_changed, project_reported, risk_assessed


class ReturnsProjection:
    """Applies one event at a time to a batch."""

    # The version of what the read models hold: change it when they change shape, and the
    # runner replays the log into them (stores tracked under an older name are rebuilt).
    name = "returns:4"
    # Events no read model shows: skipped before they are even decoded.
    ignored_topics = frozenset(
        topic
        for cls in (
            CommandReceipt.Accepted,
            ApiToken.Issued,
            ApiToken.Revoked,
            TokenSecret.Bound,
            CouncilName.Claimed,
            CouncilDirectory.Opened,
            CouncilDirectory.Listed,
            CouncilDirectory.TypeDefined,
            Project.Opened,
        )
        for topic in topics_of(cls)
    )

    def apply(self, batch: ProjectionBatch, event: object, position: int, recorded_at: str) -> None:
        if not isinstance(event, RecordedAggregate.Event):
            return
        writer = _Writer(batch, position, recorded_at, event)
        if isinstance(event, Engagement.Recorded):  # most events: tested first
            writer.engagement_recorded(event)
            engagement_reached(batch, event, position, recorded_at)
        elif isinstance(event, Target.Defined):
            writer.target_defined(event)
        elif isinstance(event, Target.Amended):
            writer.target_amended(event)
        elif isinstance(event, Target.FigureReported):
            writer.figure_reported(event)
        elif isinstance(event, Target.RagSet):
            writer.rag_set(event)
        elif isinstance(event, Target.CommentaryWritten):
            writer.commentary_written(event)
        elif isinstance(event, Council.Registered | Council.Retired | Council.AttributeRecorded):
            council_changed(batch, event, position, recorded_at)
        elif isinstance(event, Target.ReminderIssued):
            writer.reminder_issued(event)
        elif isinstance(event, ReportingYear.YearSummarised | ReportingYear.YearSummaryRevised):
            writer.set_cell(event.year, YEAR_CELLS, cells.YEAR_END, event.summary)
        elif isinstance(event, ReportingYear.QuarterClosed):
            writer.quarter_closed(event)
        elif isinstance(
            event,
            Milestone.Defined | Milestone.Revised | Milestone.Completed | Milestone.StatusSet,
        ):
            milestone_changed(batch, event, position, recorded_at)
        elif isinstance(event, Project.Reported):
            project_reported(batch, event, position, recorded_at)
        elif isinstance(event, Risk.Registered | Risk.Reassessed):
            risk_assessed(batch, event, position, recorded_at)


class _Writer:
    def __init__(
        self,
        batch: ProjectionBatch,
        position: int,
        recorded_at: str,
        event: RecordedAggregate.Event,
    ) -> None:
        self.batch = batch
        self.cursor = batch.cursor
        self.position = position
        self.recorded_at = recorded_at
        self.event = event

    # -- targets ---------------------------------------------------------------------

    def target_defined(self, event: Target.Defined) -> None:
        definition = {**event.definition, "order": self.position}
        self.set_cell(event.year, event.code, cells.DEFINITION, definition)
        self.history(event.year, event.code, None, {"definition": event.definition})

    def target_amended(self, event: Target.Amended) -> None:
        year, code = event.year, event.code
        previous = self.get_cell(year, code, cells.DEFINITION) or {}
        self.set_cell(
            year, code, cells.DEFINITION, {**event.definition, "order": previous["order"]}
        )
        self.history(year, code, None, {"old": event.previous, "new": event.definition})

    def figure_reported(self, event: Target.FigureReported) -> None:
        year, code = event.year, event.code
        self.set_cell(year, code, cells.reported(event.quarter), event.value)
        self.restatement(
            year,
            code,
            event.quarter,
            "figure",
            event.previous,
            event.value,
            event.restatement_reason,
        )
        self.history(year, code, event.quarter, {"old": event.previous, "new": event.value})

    def rag_set(self, event: Target.RagSet) -> None:
        year, code = event.year, event.code
        self.set_cell(year, code, cells.rag(event.quarter), event.rag)
        self.restatement(
            year, code, event.quarter, "rag", event.previous, event.rag, event.restatement_reason
        )
        self.history(
            year,
            code,
            event.quarter,
            {
                "old": event.previous,
                "new": event.rag,
                "reported_figure": event.reported_figure,
                "annual_target": event.annual_target,
            },
        )

    def commentary_written(self, event: Target.CommentaryWritten) -> None:
        year, code = event.year, event.code
        self.set_cell(year, code, cells.commentary(event.quarter, event.kind), event.text)
        self.restatement(
            year,
            code,
            event.quarter,
            f"commentary:{event.kind}",
            event.previous,
            event.text,
            event.restatement_reason,
        )
        self.history(
            year,
            code,
            event.quarter,
            {"kind": event.kind, "old": event.previous, "new": event.text},
        )

    def engagement_recorded(self, event: Engagement.Recorded) -> None:
        cell = cells.engaged(event.quarter)
        before = self.get_cell(event.year, event.code, cell)
        after = total_of([before or 0, event.count])
        self.set_cell(event.year, event.code, cell, after)
        self.restatement(
            event.year,
            event.code,
            event.quarter,
            "engagements",
            before,
            after,
            event.restatement_reason,
        )
        self.history(
            event.year,
            event.code,
            event.quarter,
            {
                "council": event.council,
                "date": event.date,
                "count": event.count,
                "kind": event.kind,
                "region": event.region,
                "notes": event.notes,
                "old": before,
                "new": after,
            },
        )

    def reminder_issued(self, event: Target.ReminderIssued) -> None:
        self.set_cell(
            event.year,
            event.code,
            cells.reminder(event.quarter),
            {"missing": event.missing, "recorded_at": self.recorded_at},
        )
        self.history(event.year, event.code, event.quarter, {"missing": event.missing})

    def quarter_closed(self, event: ReportingYear.QuarterClosed) -> None:
        self.set_cell(
            event.year,
            YEAR_CELLS,
            cells.closed(event.quarter),
            {
                "recorded_at": self.recorded_at,
                "actor": event.actor,
                "seal": event.seal,
            },
        )

    # -- cells -----------------------------------------------------------------------

    def set_cell(self, year: str, code: str, cell: str, value: Any) -> None:
        self.batch.set_cell((year, code, cell), value, self.position, self.recorded_at)

    def get_cell(self, year: str, code: str, cell: str) -> Any:
        return self.batch.get_cell((year, code, cell))

    def restatement(
        self,
        year: str,
        code: str,
        quarter: str,
        field: str,
        old: Any,
        new: Any,
        reason: str | None,
    ) -> None:
        if reason is None:
            return
        self.set_cell(
            year,
            code,
            cells.restatement(self.position),
            {
                "quarter": quarter,
                "field": field,
                "old": old,
                "new": new,
                "restatement_reason": reason,
                "actor": self.event.actor,
                "recorded_at": self.recorded_at,
            },
        )

    def history(self, year: str, code: str, quarter: str | None, detail: dict[str, Any]) -> None:
        restatement = getattr(self.event, "restatement_reason", None)
        if restatement is not None:
            detail = {**detail, "restatement_reason": restatement}
        self.batch.add_history(
            {
                "position": self.position,
                "year": year,
                "code": code,
                "recorded_at": self.recorded_at,
                "event": type(self.event).__qualname__,
                "actor": self.event.actor,
                "reason": self.event.reason,
                "command_id": self.event.command_id,
                "quarter": quarter,
                "detail": dump(detail),
            }
        )
