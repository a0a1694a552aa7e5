"""The milestone tracker, projects' status rows and a target's history, as readers see
them (the risk register is ``projections.risk_register``)."""

from __future__ import annotations

import json
from typing import Any

from domain.milestone_dates import MilestoneDate, slippage_days, slippage_months
from projections.database import ReadModelDatabase
from projections.models import (
    HistoryEntry,
    MilestoneLine,
    ProjectLine,
    RecentEngagement,
    Revision,
)
from projections.risk_register import read_risk_history, read_risks

# The risk register's readers live in projections.risk_register; imported from here too.
__all__ = [
    "read_history",
    "read_history_page",
    "read_milestones",
    "read_projects",
    "read_recent_engagements",
    "read_risk_history",
    "read_risks",
]


def read_milestones(database: ReadModelDatabase) -> list[MilestoneLine]:
    """Every milestone, by project, then first planned date (a month as its last day),
    then name."""
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT m.project, m.milestone, m.due, m.current_due, m.revisions,
                 m.completed_on, s.status, s.rag
               FROM qr_milestones m LEFT JOIN qr_milestone_status s
                 ON s.project = m.project AND s.milestone = m.milestone"""
        )
        found = cursor.fetchall()
    lines = []
    for project, milestone, due, current_due, revisions, completed_on, status, rag in found:
        first = MilestoneDate.parse(due, field="due")
        now = MilestoneDate.parse(current_due, field="current_due")
        lines.append(
            MilestoneLine(
                project=project,
                milestone=milestone,
                due=due,
                current_due=current_due,
                revisions=[Revision.model_validate(r) for r in json.loads(revisions)],
                slippage_days=slippage_days(first, now),
                completed_on=completed_on,
                slippage_months=slippage_months(first, now),
                status=status,
                rag=rag,
            )
        )
    lines.sort(
        key=lambda m: (m.project, MilestoneDate.parse(m.due, field="due").deadline, m.milestone)
    )
    return lines


def read_projects(database: ReadModelDatabase) -> list[ProjectLine]:
    """Every project's status row as last reported, by project."""
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT project, overall, milestones, budget, risks, headline, recorded_at
               FROM qr_projects ORDER BY project"""
        )
        found = cursor.fetchall()
    return [
        ProjectLine(
            project=project,
            overall=overall,
            milestones=milestones,
            budget=budget,
            risks=risks,
            headline=headline,
            reported_at=reported_at,
        )
        for project, overall, milestones, budget, risks, headline, reported_at in found
    ]


def read_history(database: ReadModelDatabase, year: str, code: str) -> list[HistoryEntry]:
    """Every event of one target, oldest first."""
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT position, recorded_at, event, actor, reason, command_id, quarter, detail
               FROM qr_history WHERE year = :year AND code = :code ORDER BY position""",
            {"year": year, "code": code},
        )
        found = cursor.fetchall()
    return [_history_entry(*row) for row in found]


def read_history_between(
    database: ReadModelDatabase,
    year: str,
    codes: list[str],
    since: str,
    until: str | None,
    *,
    limit: int | None = None,
) -> dict[str, list[HistoryEntry]]:
    """The events of each target of ``codes`` recorded in (``since``, ``until``]
    (recorded-time text; ``until`` None: now), oldest first; with ``limit``, only the latest
    ``limit`` of each. One query: per target, an indexed range read."""
    columns = "code, position, recorded_at, event, actor, reason, command_id, quarter, detail"
    window = "year = :year AND recorded_at > :since AND recorded_at <= :until"
    params: dict[str, Any] = {"year": year, "since": since, "until": until or "9999"}
    if limit is not None:
        params["limit"] = limit
    parts = []
    for n, code in enumerate(codes):
        params[f"code{n}"] = code
        order = (
            "ORDER BY position"
            if limit is None
            else ("ORDER BY recorded_at DESC, position DESC LIMIT :limit")
        )
        parts.append(
            f"SELECT * FROM (SELECT {columns} FROM qr_history "  # noqa: S608
            f"WHERE {window} AND code = :code{n} {order}) AS target{n}"
        )
    found: dict[str, list[HistoryEntry]] = {code: [] for code in codes}
    if not parts:
        return found
    with database.transaction() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for code, *row in rows:
        found[str(code)].append(_history_entry(*row))
    return {code: sorted(entries, key=lambda e: e.position) for code, entries in found.items()}


def _history_entry(
    position: int,
    recorded_at: str,
    event: str,
    actor: str,
    reason: str | None,
    command_id: str | None,
    quarter: str | None,
    detail: str,
) -> HistoryEntry:
    """One ``qr_history`` row (in the column order both history reads select) as an entry."""
    return HistoryEntry.model_validate(
        {
            "position": position,
            "recorded_at": recorded_at,
            "event": event,
            "actor": actor,
            "reason": reason,
            "command_id": command_id,
            "quarter": quarter,
            **json.loads(detail),
        }
    )


def read_history_page(
    database: ReadModelDatabase, year: str, code: str, *, before: int | None, limit: int
) -> list[HistoryEntry]:
    """Up to ``limit`` events of one target, newest first, recorded before position
    ``before`` (None: the latest): a timeline read a page at a time, whatever its length."""
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT position, recorded_at, event, actor, reason, command_id, quarter, detail
               FROM qr_history WHERE year = :year AND code = :code AND position < :before
               ORDER BY position DESC LIMIT :limit""",
            {"year": year, "code": code, "before": before or 2**62, "limit": limit},
        )
        found = cursor.fetchall()
    return [_history_entry(*row) for row in found]


def read_recent_engagements(
    database: ReadModelDatabase, actor: str, limit: int = 10
) -> list[RecentEngagement]:
    """The latest ``limit`` engagements ``actor`` recorded, newest first (restatements of
    a closed quarter included)."""
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT position, year, code, recorded_at, command_id, quarter, detail
               FROM qr_history WHERE actor = :actor AND event = :event
               ORDER BY position DESC LIMIT :limit""",
            {"actor": actor, "event": "Engagement.Recorded", "limit": limit},
        )
        found = cursor.fetchall()
    engagements = []
    for position, year, code, recorded_at, command_id, quarter, detail in found:
        fields = json.loads(detail)
        engagements.append(
            RecentEngagement(
                position=position,
                year=year,
                code=code,
                recorded_at=recorded_at,
                command_id=command_id,
                quarter=quarter,
                date=fields["date"],
                council=fields["council"],
                kind=fields.get("kind"),
                count=fields["count"],
                notes=fields.get("notes"),
            )
        )
    return engagements
