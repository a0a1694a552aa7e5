"""The board pack: everything a board reads about a year, gathered once from the readers
into one typed model that every format (HTML, PDF, XLSX) renders.

``quarter`` asks for the pack as it stood when that quarter was closed: the return, the
risk register and take-up as at the recorded time of the close (what was sealed then, so a
pack for Q2 reads the same next year). A quarter still open is refused: its figures may yet
change. The milestone tracker and project rows have no as-at reading, so they are shown as
they stand when the pack is made (the pack says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field

from domain.calendar import QUARTERS, Quarter
from domain.errors import BadInput, NotFound
from domain.rag import RAG_LEGEND, TRAVEL_LEGEND, Rag, Travel
from domain.risks import RISK_BAND_LEGEND
from projections.models import (
    MilestoneLine,
    ProjectLine,
    QuarterlyReturn,
    ReadModel,
    Restatement,
    RiskLine,
    TakeUp,
    TargetLine,
    YearEndSummary,
)
from projections.readers import Readers
from projections.year_end import year_end_summary

RAG_ORDER = tuple(rag.value for rag in (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.BLACK, Rag.NONE))
NOT_COMPARED = "not compared"  # direction of travel: a first RAG, or black/none either side


class LegendEntry(ReadModel):
    """One colour of a legend and what it means."""

    key: str  # green, amber ... (RAG); green, yellow ... (risk band); better ... (travel)
    meaning: str


class ThemeRag(ReadModel):
    """A theme's targets counted by their stated RAG (the "RAG by theme" chart)."""

    theme: str  # "" for targets without a theme
    green: int
    amber: int
    red: int
    black: int
    none: int

    def count(self, rag: str) -> int:
        """The number of the theme's targets whose RAG is ``rag``."""
        return int(getattr(self, rag))


class PackRestatement(ReadModel):
    """A restatement with the target it changed, for the pack's restatements list."""

    code: str
    title: str
    restatement: Restatement


class BoardPack(ReadModel):
    """A year's board pack. ``quarter`` None: as it stands now; else as at that quarter's
    close (``as_at``, the close's recorded time)."""

    year: str
    quarter: str | None
    as_at: str | None
    made_at: str  # when the pack was made (UTC, ISO): milestones are as at this time
    report: QuarterlyReturn
    year_end: YearEndSummary  # from the pack's return: final only once Q4 has closed
    year_end_final: bool
    travel: dict[str, int]  # better, same, worse, not compared -> targets
    by_theme: list[ThemeRag]
    milestones: list[MilestoneLine]
    projects: list[ProjectLine]
    risks: list[RiskLine]
    take_up: TakeUp
    restatements: list[PackRestatement]
    rag_legend: list[LegendEntry] = Field(
        default_factory=lambda: [
            LegendEntry(key=rag.value, meaning=meaning) for rag, meaning in RAG_LEGEND.items()
        ]
    )
    travel_legend: list[LegendEntry] = Field(
        default_factory=lambda: [
            LegendEntry(key=travel.value, meaning=meaning)
            for travel, meaning in TRAVEL_LEGEND.items()
        ]
    )
    risk_legend: list[LegendEntry] = Field(
        default_factory=lambda: [
            LegendEntry(key=band, meaning=meaning) for band, meaning in RISK_BAND_LEGEND.items()
        ]
    )

    @property
    def title(self) -> str:
        """``Board pack 2016/17`` or ``Board pack 2016/17, Q2``."""
        return f"Board pack {self.year}" + (f", {self.quarter}" if self.quarter else "")

    @property
    def headline(self) -> str:
        """The year-end line, "N of M key targets achieved", qualified while the year is
        still open ("so far")."""
        line = self.year_end.headline
        return line if self.year_end_final else f"{line} so far (latest stated RAG)"

    def risk_grid(self) -> dict[tuple[int, int], list[str]]:
        """Risk refs by (likelihood, impact), both 1..5: the 5x5 heat map's cells."""
        return risk_grid(self.risks)


def risk_grid(risks: Sequence[RiskLine]) -> dict[tuple[int, int], list[str]]:
    """Risk refs by (likelihood, impact), both 1..5: a 5x5 heat map's cells, every cell
    present (an empty list where no risk sits)."""
    grid: dict[tuple[int, int], list[str]] = {
        (likelihood, impact): [] for likelihood in range(1, 6) for impact in range(1, 6)
    }
    for risk in risks:
        grid[(risk.likelihood, risk.impact)].append(risk.ref)
    return grid


def gather_board_pack(
    readers: Readers, year: str, quarter: Quarter | None, made_at: datetime
) -> BoardPack:
    """The pack of ``year`` from the readers (catch them up first for read-your-writes).
    Refuses (``BadInput`` naming ``quarter``) a quarter that has not closed, and
    (``NotFound`` naming ``year``) a year without targets: there is no return to show."""
    as_at: str | None = None
    if quarter is not None:
        as_at = readers.quarter_closed_at(year, quarter.value)
        if as_at is None:
            raise BadInput(
                f"{quarter.value} of {year} has not closed, so its return may still change; "
                "leave the quarter out for the pack as it stands now",
                field="quarter",
            )
    moment = None if as_at is None else datetime.fromisoformat(as_at.replace("Z", "+00:00"))
    report = readers.quarterly_return(year, moment)
    if not report.targets:
        raise NotFound(f"no targets are defined for {year}", field="year")
    return BoardPack(
        year=year,
        quarter=None if quarter is None else quarter.value,
        as_at=report.as_at,
        made_at=made_at.isoformat(timespec="seconds"),
        report=report,
        year_end=year_end_summary(report),
        year_end_final=QUARTERS[-1].value in report.closed_quarters,
        travel=_travel(report.targets),
        by_theme=rag_by_theme(report.targets),
        milestones=readers.milestones(),
        projects=readers.projects(),
        risks=readers.risks(moment),
        take_up=readers.take_up(year, as_at=moment),
        restatements=[
            PackRestatement(code=t.code, title=t.title, restatement=r)
            for t in report.targets
            for r in t.restatements
        ],
    )


def _travel(targets: list[TargetLine]) -> dict[str, int]:
    counts = {travel.value: 0 for travel in Travel}
    counts[NOT_COMPARED] = 0
    for target in targets:
        counts[target.direction_of_travel or NOT_COMPARED] += 1
    return counts


def rag_by_theme(targets: list[TargetLine]) -> list[ThemeRag]:
    """The targets counted by stated RAG within each theme, themes in order of first use."""
    counts: dict[str, dict[str, int]] = {}
    for target in targets:
        theme = counts.setdefault(target.theme or "", dict.fromkeys(RAG_ORDER, 0))
        theme[target.rag] += 1
    return [ThemeRag(theme=theme, **by_rag) for theme, by_rag in counts.items()]
