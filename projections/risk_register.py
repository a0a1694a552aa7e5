"""The strategic risk register as readers see it: now or as it stood at a recorded time,
and each risk's history of assessments with its direction of travel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.canonical import canonical_code
from domain.risks import risk_band, risk_travel
from projections.database import ReadModelDatabase, recorded_time
from projections.models import RiskAssessment, RiskLine

_RUNS = re.compile(r"\d+|\D+")
_COLUMNS = (
    "position, ref, recorded_at, actor, reason, command_id, title, owner, category, "
    "mitigation, impact, likelihood"
)


def read_risks(database: ReadModelDatabase, as_at: datetime | None = None) -> list[RiskLine]:
    """The register, by ref in natural order (SR2 before SR10, as registers number them),
    each risk at its latest assessment recorded by ``as_at`` (None: now), with the score
    before it and its direction of travel."""
    where, params = "", {}
    if as_at is not None:
        where, params = "WHERE recorded_at <= :moment", {"moment": recorded_time(as_at)}
    with database.transaction() as cursor:
        cursor.execute(
            f"SELECT {_COLUMNS} FROM qr_risk_assessments {where} ORDER BY ref, position",  # noqa: S608 - fixed text
            params,
        )
        found = cursor.fetchall()
    latest: dict[str, RiskAssessment] = {}
    for assessment in _assessments(found):
        latest[assessment.ref] = assessment
    return [
        RiskLine(
            ref=ref,
            title=a.title,
            impact=a.impact,
            likelihood=a.likelihood,
            score=a.score,
            band=a.band,
            owner=a.owner,
            category=a.category,
            mitigation=a.mitigation,
            previous_score=a.previous_score,
            direction_of_travel=a.direction_of_travel,
            assessed_at=a.recorded_at,
        )
        for ref, a in sorted(latest.items(), key=lambda item: natural_order(item[0]))
    ]


def read_risk_history(database: ReadModelDatabase, ref: str) -> list[RiskAssessment]:
    """Every assessment of one risk, oldest first, with recorded time, who and why, the
    score and band, and the direction of travel against the one before (empty for an
    unknown ref; the ref is compared in canonical form)."""
    with database.transaction() as cursor:
        cursor.execute(
            f"SELECT {_COLUMNS} FROM qr_risk_assessments WHERE ref = :ref ORDER BY position",  # noqa: S608 - fixed text
            {"ref": canonical_code(ref)},
        )
        found = cursor.fetchall()
    return _assessments(found)


def natural_order(ref: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that reads runs of digits as numbers: SR2 < SR10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _RUNS.findall(ref))


def _assessments(rows: Sequence[Sequence[Any]]) -> list[RiskAssessment]:
    """Rows ordered by ref, then position, as assessments: each knows the score before it."""
    found: list[RiskAssessment] = []
    previous: dict[str, int] = {}
    for row in rows:
        (position, ref, recorded_at, actor, reason, command_id) = row[:6]
        title, owner, category, mitigation, impact, likelihood = row[6:]
        score = int(impact) * int(likelihood)
        before = previous.get(ref)
        found.append(
            RiskAssessment(
                ref=ref,
                position=position,
                recorded_at=recorded_at,
                actor=actor,
                reason=reason,
                command_id=command_id,
                title=title,
                owner=owner,
                category=category,
                mitigation=mitigation,
                impact=impact,
                likelihood=likelihood,
                score=score,
                band=risk_band(score),
                previous_score=before,
                direction_of_travel=risk_travel(before, score),
            )
        )
        previous[ref] = score
    return found
