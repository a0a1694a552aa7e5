"""One target's line of the return, from its cells: figures, RAG, commentary, and what the
seeds' tables add (lead and board, direction of travel, trajectory, where commentary is
carried from)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.calendar import QUARTERS, Quarter
from domain.measures import Aggregation, Number, quarter_figure, year_figure
from domain.rag import CommentaryKind, Rag, direction_of_travel
from domain.targets import TargetDefinition
from projections import cells
from projections.models import (
    Commentary,
    CommentaryFrom,
    CommentarySource,
    Restatement,
    TargetLine,
)

_STATED = frozenset({Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value})


def target_line(
    code: str, target_cells: dict[str, Any], closed: Sequence[Quarter] = ()
) -> TargetLine:
    """The line of target ``code`` from its decoded cells (the definition cell required);
    ``closed``: the year's closed quarters, which count as elapsed for the trajectory."""
    stored = {k: v for k, v in target_cells[cells.DEFINITION].items() if k != "order"}
    definition = TargetDefinition.from_stored(stored)
    measure = definition.measure
    aggregation = measure.aggregation
    # A distinct_councils target counts councils, others the engagements' counts.
    engaged = cells.councils if aggregation is Aggregation.DISTINCT_COUNCILS else cells.engaged
    figures: dict[Quarter, Number | None] = {
        q: quarter_figure(target_cells.get(cells.reported(q)), target_cells.get(engaged(q)))
        for q in QUARTERS
    }
    councils = target_cells.get(cells.councils(cells.YEAR))
    total = year_figure(aggregation, figures, councils)
    rags: dict[str, str | None] = {q.value: target_cells.get(cells.rag(q)) for q in QUARTERS}
    stated = [rag for rag in rags.values() if rag is not None]
    rag = stated[-1] if stated else Rag.NONE.value
    trajectory = measure.trajectory(figures, total, closed)
    restatements = [
        Restatement.model_validate(target_cells[name])
        for name in sorted(target_cells)
        if cells.is_restatement(name)
    ]
    sources = {kind: _latest_commentary(target_cells, kind) for kind in CommentaryKind}
    latest = _latest_quarter_with_data(target_cells, figures, rags)
    return TargetLine(
        code=code,
        title=definition.title,
        theme=definition.theme,
        unit=definition.unit,
        aggregation=aggregation.value,
        target=definition.target,
        quarters={q.value: figures[q] for q in QUARTERS},
        total=total,
        percent_achieved=measure.percent_achieved(total),
        councils=councils,
        rag=rag,
        rag_by_quarter=rags,
        commentary=Commentary(
            **{kind.value: None if found is None else found[1] for kind, found in sources.items()}
        ),
        restatements=restatements,
        lead=definition.lead,
        board=definition.board,
        direction=measure.direction.value,
        threshold=None if measure.threshold is None else measure.threshold.value,
        met=measure.met(total),
        trajectory=None if trajectory is None else trajectory.value,
        rag_disagrees=trajectory is not None and rag in _STATED and rag != trajectory.value,
        direction_of_travel=_travel(rags),
        commentary_from=CommentaryFrom(
            **{
                kind.value: CommentarySource(
                    quarter=found[0].value, carried=latest is not None and found[0] < latest
                )
                for kind, found in sources.items()
                if found is not None
            }
        ),
    )


def _travel(rags: dict[str, str | None]) -> str | None:
    """The latest stated RAG against the stated RAG of the quarter before it."""
    stated = [q for q in QUARTERS if rags[q.value] is not None]
    if not stated or stated[-1] is Quarter.Q1:
        return None
    latest = stated[-1]
    travel = direction_of_travel(rags[QUARTERS[latest.number - 2].value], rags[latest.value])
    return None if travel is None else travel.value


def _latest_quarter_with_data(
    target_cells: dict[str, Any],
    figures: dict[Quarter, Number | None],
    rags: dict[str, str | None],
) -> Quarter | None:
    """The latest quarter with a figure, a stated RAG or any commentary."""
    for quarter in reversed(QUARTERS):
        if figures[quarter] is not None or rags[quarter.value] is not None:
            return quarter
        if any(target_cells.get(cells.commentary(quarter, k)) is not None for k in CommentaryKind):
            return quarter
    return None


def _latest_commentary(
    target_cells: dict[str, Any], kind: CommentaryKind
) -> tuple[Quarter, str] | None:
    """The commentary of this kind from the latest quarter that has one, with that quarter."""
    for quarter in reversed(QUARTERS):
        text = target_cells.get(cells.commentary(quarter, kind))
        if text is not None:
            return quarter, str(text)
    return None
