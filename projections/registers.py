"""The milestone tracker, the risk register and a target's history, as readers see them."""

from __future__ import annotations

import json
from datetime import date

from domain.milestones import slippage_days
from domain.risks import risk_band
from projections.database import ReadModelDatabase
from projections.models import HistoryEntry, MilestoneLine, Revision, RiskLine


def read_milestones(database: ReadModelDatabase) -> list[MilestoneLine]:
    """Every milestone, by project, then first planned date, then name."""
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT project, milestone, due, current_due, revisions, completed_on
               FROM qr_milestones ORDER BY project, due, milestone"""
        )
        found = cursor.fetchall()
    return [
        MilestoneLine(
            project=project,
            milestone=milestone,
            due=due,
            current_due=current_due,
            revisions=[Revision.model_validate(r) for r in json.loads(revisions)],
            slippage_days=slippage_days(date.fromisoformat(due), date.fromisoformat(current_due)),
            completed_on=completed_on,
        )
        for project, milestone, due, current_due, revisions, completed_on in found
    ]


def read_risks(database: ReadModelDatabase) -> list[RiskLine]:
    """The risk register, by ref, with each risk's latest assessment."""
    with database.transaction() as cursor:
        cursor.execute("SELECT ref, title, impact, likelihood FROM qr_risks ORDER BY ref")
        found = cursor.fetchall()
    return [
        RiskLine(
            ref=ref,
            title=title,
            impact=impact,
            likelihood=likelihood,
            score=impact * likelihood,
            band=risk_band(impact * likelihood),
        )
        for ref, title, impact, likelihood in found
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
    return [
        HistoryEntry.model_validate(
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
        for position, recorded_at, event, actor, reason, command_id, quarter, detail in found
    ]
