"""The quarterly return of a year, as it stands now or as it stood at a recorded time."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from domain.calendar import QUARTERS
from domain.rag import CommentaryKind
from projections import cells
from projections.cells import YEAR_CELLS
from projections.database import Cursor, ReadModelDatabase, recorded_time
from projections.models import QuarterlyReturn, Reminder, ReturnSummary, TargetLine
from projections.target_line import target_line


def read_return(
    database: ReadModelDatabase, year: str, as_at: datetime | None = None
) -> QuarterlyReturn:
    """The return of ``year`` now, or as it stood at recorded time ``as_at``."""
    with database.transaction() as cursor:
        found = (
            _current_cells(cursor, year)
            if as_at is None
            else _cells_as_at(cursor, year, recorded_time(as_at))
        )
    by_code = _by_code(found)
    year_cells = by_code.pop(YEAR_CELLS, {})
    closed_quarters = [q for q in QUARTERS if cells.closed(q) in year_cells]
    targets = [
        target_line(code, target_cells, closed_quarters)
        for code, target_cells in by_code.items()
        if cells.DEFINITION in target_cells
    ]
    targets.sort(key=lambda t: by_code[t.code][cells.DEFINITION]["order"])
    return QuarterlyReturn(
        year=year,
        as_at=None if as_at is None else recorded_time(as_at),
        closed_quarters=[q.value for q in closed_quarters],
        targets=targets,
        summary=ReturnSummary.of(targets),
        reminders=_outstanding_reminders(by_code, targets),
    )


def missing_items(target: TargetLine, target_cells: dict[str, Any], quarter: str) -> list[str]:
    """What a target still lacks for a quarter: a figure (numeric targets only), a RAG,
    a ``delivered`` comment."""
    missing = []
    if target.target is not None and target.quarters[quarter] is None:
        missing.append("figure")
    if target.rag_by_quarter[quarter] is None:
        missing.append("rag")
    if target_cells.get(cells.commentary(quarter, CommentaryKind.DELIVERED)) is None:
        missing.append("delivered")
    return missing


def read_missing(database: ReadModelDatabase, year: str, quarter: str) -> dict[str, list[str]]:
    """Per target code, what is missing for the quarter (targets lacking nothing left out)."""
    with database.transaction() as cursor:
        by_code = _by_code(_current_cells(cursor, year))
    found = {}
    for code, target_cells in by_code.items():
        if cells.DEFINITION in target_cells:
            missing = missing_items(target_line(code, target_cells), target_cells, quarter)
            if missing:
                found[code] = missing
    return found


def read_themes(database: ReadModelDatabase) -> set[str]:
    """Every theme a target of any year has (the teams recorder tokens can belong to)."""
    with database.transaction() as cursor:
        cursor.execute("SELECT value FROM qr_cells WHERE cell = :cell", {"cell": cells.DEFINITION})
        definitions = [json.loads(row[0]) for row in cursor.fetchall()]
    return {d["theme"] for d in definitions if d.get("theme")}


def read_quarter_commentary(
    database: ReadModelDatabase, year: str, code: str
) -> dict[str, dict[str, str]]:
    """The latest commentary of each kind for each quarter of one target (now):
    ``{"Q1": {"delivered": "..."}, ...}``, every quarter present."""
    found: dict[str, dict[str, str]] = {quarter.value: {} for quarter in QUARTERS}
    with database.transaction() as cursor:
        cursor.execute(
            """SELECT cell, value FROM qr_cells
               WHERE year = :year AND code = :code AND cell LIKE :cells""",
            {"year": year, "code": code, "cells": "comment:%"},
        )
        for cell, value in cursor.fetchall():
            _, quarter, kind = str(cell).split(":", 2)
            found.setdefault(quarter, {})[kind] = json.loads(value)
    return found


def read_years(database: ReadModelDatabase) -> list[str]:
    """Every year a target is defined in, oldest first."""
    with database.transaction() as cursor:
        cursor.execute(
            "SELECT DISTINCT year FROM qr_cells WHERE cell = :cell ORDER BY year",
            {"cell": cells.DEFINITION},
        )
        return [str(row[0]) for row in cursor.fetchall()]


def read_summarised_years(database: ReadModelDatabase) -> list[str]:
    """The years whose year-end summary has been stored, oldest first."""
    with database.transaction() as cursor:
        cursor.execute(
            "SELECT year FROM qr_cells WHERE code = :code AND cell = :cell ORDER BY year",
            {"code": YEAR_CELLS, "cell": cells.YEAR_END},
        )
        return [str(row[0]) for row in cursor.fetchall()]


def _outstanding_reminders(
    by_code: dict[str, dict[str, Any]], targets: list[TargetLine]
) -> list[Reminder]:
    outstanding = []
    for target in targets:
        target_cells = by_code[target.code]
        for quarter in QUARTERS:
            issued = target_cells.get(cells.reminder(quarter))
            if issued is None:
                continue
            missing_now = missing_items(target, target_cells, quarter.value)
            still = [item for item in issued["missing"] if item in missing_now]
            if still:
                outstanding.append(
                    Reminder(
                        code=target.code,
                        quarter=quarter.value,
                        missing=still,
                        reminded_at=issued["recorded_at"],
                    )
                )
    return outstanding


def _by_code(rows: list[Any]) -> dict[str, dict[str, Any]]:
    """(code, cell, JSON value) rows as each code's decoded cells."""
    by_code: dict[str, dict[str, Any]] = defaultdict(dict)
    for code, cell, value in rows:
        by_code[code][cell] = json.loads(value)
    return by_code


def _current_cells(cursor: Cursor, year: str) -> list[Any]:
    cursor.execute("SELECT code, cell, value FROM qr_cells WHERE year = :year", {"year": year})
    return cursor.fetchall()


def _cells_as_at(cursor: Cursor, year: str, moment: str) -> list[Any]:
    # The last position recorded at or before the moment; recorded time is monotonic
    # along the log, so everything up to that position, and nothing after, existed.
    cursor.execute(
        """SELECT position FROM qr_cell_versions WHERE recorded_at <= :moment
           ORDER BY recorded_at DESC, position DESC LIMIT 1""",
        {"moment": moment},
    )
    found = cursor.fetchone()
    if found is None:
        return []
    cursor.execute(
        """SELECT c.code, c.cell,
             CASE WHEN c.position <= :position THEN c.value ELSE
               (SELECT v.value FROM qr_cell_versions v
                 WHERE v.year = c.year AND v.code = c.code AND v.cell = c.cell
                   AND v.position <= :position
                 ORDER BY v.position DESC LIMIT 1) END AS value
           FROM qr_cells c WHERE c.year = :year""",
        {"year": year, "position": int(found[0])},
    )
    return [row for row in cursor.fetchall() if row[2] is not None]


def read_quarter_closed_at(database: ReadModelDatabase, year: str, quarter: str) -> str | None:
    """The recorded time (ISO text) at which ``quarter`` of ``year`` was closed, or None
    while it is open."""
    with database.transaction() as cursor:
        cursor.execute(
            "SELECT value FROM qr_cells WHERE year = :year AND code = :code AND cell = :cell",
            {"year": year, "code": YEAR_CELLS, "cell": cells.closed(quarter)},
        )
        found = cursor.fetchone()
    return None if found is None else str(json.loads(found[0])["recorded_at"])
