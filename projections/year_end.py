"""The year-end summary: targets counted by final RAG and by achievement band, and the line
the seeds' year-end reports open with: "56 of 60 key targets achieved"."""

from __future__ import annotations

from typing import Any

from projections.models import QuarterlyReturn, YearEndSummary

# (band, lowest percent achieved in it), highest first.
ACHIEVEMENT_BANDS = (("100% or more", 100), ("90-99%", 90), ("below 90%", 0))
NO_FIGURE = "no numeric target or figure"


def year_end_summary(report: QuarterlyReturn) -> YearEndSummary:
    """The summary of a year's return: by final stated RAG, by percent achieved, and
    "N of M key targets achieved", where N counts the targets whose final stated RAG is
    green and M those whose final stated RAG is green, amber or red
    (``domain.rag.key_targets_achieved``). A target whose final RAG is black (not
    applicable) or none (never assessed) is in neither count, as the seeds count only the
    deliverables they rated ("56 out of the 60 key targets were achieved ..., leaving just
    4 partially achieved")."""
    by_achievement = dict.fromkeys([band for band, _ in ACHIEVEMENT_BANDS], 0)
    by_achievement[NO_FIGURE] = 0
    for target in report.targets:
        percent = target.percent_achieved
        if percent is None:
            by_achievement[NO_FIGURE] += 1
            continue
        band = next(name for name, floor in ACHIEVEMENT_BANDS if percent >= floor)
        by_achievement[band] += 1
    return YearEndSummary.model_validate(
        {
            "year": report.year,
            "targets": len(report.targets),
            "by_rag": report.summary.model_dump(exclude={"targets"}),
            "by_achievement": by_achievement,
        }
    )


def year_end_document(year: str, stored: dict[str, Any]) -> dict[str, Any]:
    """The ``year-end`` JSON document from a stored summary of any age: one stored before
    ``achieved``, ``assessed`` and ``headline`` existed gets them from its own ``by_rag``
    (the same numbers; nothing is recomputed from today's return)."""
    return YearEndSummary.model_validate({"year": year, **stored}).document()


def same_summary(stored: dict[str, Any], current: dict[str, Any]) -> bool:
    """Whether a stored summary says what ``current`` (a summary as stored) says, reading an
    old summary as :func:`year_end_document` does: lacking only the keys added later is
    not a change, so a summary is not revised for that."""
    return YearEndSummary.model_validate({"year": "", **stored}).stored() == current
