"""Every question the read models answer, asked of one database."""

from __future__ import annotations

from datetime import datetime

from projections.database import ReadModelDatabase
from projections.models import (
    CouncilLine,
    HistoryEntry,
    MilestoneLine,
    ProjectLine,
    QuarterlyReturn,
    RecentEngagement,
    ReturnDiff,
    RiskAssessment,
    RiskLine,
    TakeUp,
)
from projections.quarterly_return import (
    read_missing,
    read_quarter_closed_at,
    read_quarter_commentary,
    read_return,
    read_summarised_years,
    read_themes,
    read_years,
)
from projections.registers import (
    read_history,
    read_history_page,
    read_milestones,
    read_projects,
    read_recent_engagements,
)
from projections.return_diff import diff_returns
from projections.risk_register import read_risk_history, read_risks
from projections.take_up import read_councils, read_take_up


class Readers:
    """The read side of a store. Each answer is a frozen model (``projections/models.py``);
    none of them waits for the projection: catch it up first for read-your-writes."""

    def __init__(self, database: ReadModelDatabase) -> None:
        self.database = database

    def quarterly_return(self, year: str, as_at: datetime | None = None) -> QuarterlyReturn:
        """The return of ``year`` (``2016/17``), now or as it stood at recorded time ``as_at``."""
        return read_return(self.database, year, as_at)

    def history(self, year: str, code: str) -> list[HistoryEntry]:
        """Every event of one target, oldest first (empty for an unknown target)."""
        return read_history(self.database, year, code)

    def diff(
        self,
        year: str,
        since: datetime,
        until: datetime | None = None,
        *,
        events_per_target: int | None = None,
    ) -> ReturnDiff:
        """What changed in the return between two recorded times (``until``: now); with
        ``events_per_target``, only each target's latest events of the window."""
        return diff_returns(self.database, year, since, until, events_per_target=events_per_target)

    def milestones(self) -> list[MilestoneLine]:
        """Every milestone with its dates, slippage, status and RAG."""
        return read_milestones(self.database)

    def projects(self) -> list[ProjectLine]:
        """Every major project's status row (overall, milestones, budget, risks, headline)."""
        return read_projects(self.database)

    def risks(self, as_at: datetime | None = None) -> list[RiskLine]:
        """The risk register now, or as it stood at recorded time ``as_at``."""
        return read_risks(self.database, as_at)

    def risk_history(self, ref: str) -> list[RiskAssessment]:
        """Every assessment of one risk, oldest first (empty for an unknown ref)."""
        return read_risk_history(self.database, ref)

    def quarter_closed_at(self, year: str, quarter: str) -> str | None:
        """When ``quarter`` (``Q2``) of ``year`` was closed (recorded time, ISO), or None."""
        return read_quarter_closed_at(self.database, year, quarter)

    def themes(self) -> set[str]:
        """Every theme a target of any year has: the teams recorders belong to."""
        return read_themes(self.database)

    def history_page(
        self, year: str, code: str, *, before: int | None = None, limit: int = 50
    ) -> list[HistoryEntry]:
        """Up to ``limit`` events of a target, newest first, before position ``before``."""
        return read_history_page(self.database, year, code, before=before, limit=limit)

    def quarter_commentary(self, year: str, code: str) -> dict[str, dict[str, str]]:
        """The latest commentary of each kind, per quarter, of one target."""
        return read_quarter_commentary(self.database, year, code)

    def years(self) -> list[str]:
        """Every year a target is defined in, oldest first."""
        return read_years(self.database)

    def recent_engagements(self, actor: str, limit: int = 10) -> list[RecentEngagement]:
        """The latest engagements ``actor`` recorded, newest first."""
        return read_recent_engagements(self.database, actor, limit)

    def summarised_years(self) -> list[str]:
        return read_summarised_years(self.database)

    def missing(self, year: str, quarter: str) -> dict[str, list[str]]:
        """Per target code, what it still lacks for the quarter."""
        return read_missing(self.database, year, quarter)

    def councils(self, as_at: datetime | None = None) -> list[CouncilLine]:
        """The council register (as it stood at recorded time ``as_at``), by code."""
        return read_councils(self.database, as_at)

    def take_up(
        self,
        year: str,
        *,
        code: str | None = None,
        kind: str | None = None,
        as_at: datetime | None = None,
    ) -> TakeUp:
        """Which councils the year's engagements reached, and which they missed."""
        return read_take_up(self.database, year, code=code, kind=kind, as_at=as_at)
