"""The year-end summary: targets counted by final RAG and by achievement band, and the line
the seeds' year-end reports open with: "56 of 60 key targets achieved"."""

from __future__ import annotations

from typing import Any

from domain.rag import Rag
from projections.models import QuarterlyReturn, YearEndSummary

# (band, lowest percent achieved in it), highest first.
ACHIEVEMENT_BANDS = (("100% or more", 100), ("90-99%", 90), ("below 90%", 0))
NO_FIGURE = "no numeric target or figure"
# The final stated RAGs that count as assessed: black (not applicable) and none (not yet
# assessed) are not judgements of achievement, so they count neither way.
ASSESSED = (Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value)


def year_end_summary(report: QuarterlyReturn) -> YearEndSummary:
    """The summary of a year's return: by final stated RAG, by percent achieved, and
    "N of M key targets achieved", where N counts the targets whose final stated RAG is
    green and M those whose final stated RAG is green, amber or red. A target whose final
    RAG is black (not applicable) or none (never assessed) is in neither count, as the
    seeds count only the deliverables they rated ("56 out of the 60 key targets were
    achieved ..., leaving just 4 partially achieved")."""
    by_achievement = dict.fromkeys([band for band, _ in ACHIEVEMENT_BANDS], 0)
    by_achievement[NO_FIGURE] = 0
    for target in report.targets:
        percent = target.percent_achieved
        if percent is None:
            by_achievement[NO_FIGURE] += 1
            continue
        band = next(name for name, floor in ACHIEVEMENT_BANDS if percent >= floor)
        by_achievement[band] += 1
    by_rag = report.summary.model_dump(exclude={"targets"})
    return YearEndSummary(
        year=report.year,
        targets=len(report.targets),
        by_rag=by_rag,
        by_achievement=by_achievement,
        **achievement_line(by_rag),
    )


def achievement_line(by_rag: dict[str, int]) -> dict[str, Any]:
    """``achieved``, ``assessed`` and the ``headline`` from targets counted by final RAG."""
    achieved = by_rag.get(Rag.GREEN.value, 0)
    assessed = sum(by_rag.get(rag, 0) for rag in ASSESSED)
    return {
        "achieved": achieved,
        "assessed": assessed,
        "headline": f"{achieved} of {assessed} key targets achieved",
    }


def year_end_document(year: str, stored: dict[str, Any]) -> dict[str, Any]:
    """The ``year-end`` JSON document from a stored summary of any age: summaries stored
    before ``achieved``, ``assessed`` and ``headline`` existed get them from their own
    ``by_rag`` (the same numbers; nothing is recomputed from today's return)."""
    return {"year": year, **stored, **achievement_line(stored["by_rag"])}


def same_summary(stored: dict[str, Any], current: dict[str, Any]) -> bool:
    """Whether a stored summary says what ``current`` says, reading an old summary as
    :func:`year_end_document` does: a summary that only lacks the keys added later is not
    a change (it is not revised for that)."""
    completed = {**stored, **achievement_line(stored.get("by_rag", {}))}
    return completed == current
