"""The year-end summary: targets counted by final RAG and by achievement band."""

from __future__ import annotations

from projections.models import QuarterlyReturn, YearEndSummary

# (band, lowest percent achieved in it), highest first.
ACHIEVEMENT_BANDS = (("100% or more", 100), ("90-99%", 90), ("below 90%", 0))
NO_FIGURE = "no numeric target or figure"


def year_end_summary(report: QuarterlyReturn) -> YearEndSummary:
    """The summary of a year's return: by final stated RAG and by percent achieved."""
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
    )
