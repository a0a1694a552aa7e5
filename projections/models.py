"""What the read models return, defined once: the CLI's renderers, the exports and the HTTP
API (as FastAPI's ``response_model``) all take these. Field order is the order of the keys
in the JSON documents of the contract (``report --format json`` and the rest); values that
the projection stores as sorted JSON keep their keys sorted.

Its length: every document of the contract, defined once; split by document, the shared
line models would be imported back and forth.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.rag import Rag, key_targets_achieved

Number = int | float
RAG_VALUES = tuple(rag.value for rag in Rag)


class ReadModel(BaseModel):
    """Frozen: a reader's answer is a value; change the store, not the answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def document(self) -> dict[str, Any]:
        """The JSON document, as the CLI prints it and the API answers it."""
        return self.model_dump(mode="json", by_alias=True)


# -- the quarterly return ---------------------------------------------------------------


class Commentary(ReadModel):
    """The latest commentary of each kind, from the latest quarter that has that kind."""

    delivered: str | None
    impact: str | None
    forecast: str | None


class Restatement(ReadModel):
    """A change made to a closed quarter, with its reason."""

    actor: str | None
    field: str  # figure, rag, engagements, commentary:<kind>
    new: Any
    old: Any
    quarter: str
    recorded_at: str
    restatement_reason: str


class CommentarySource(ReadModel):
    """Where a shown commentary comes from: the quarter it was written for, and whether
    that is earlier than the target's latest quarter with data (carried forward)."""

    quarter: str
    carried: bool


class CommentaryFrom(ReadModel):
    """For each kind of commentary shown, its source; None where there is none."""

    delivered: CommentarySource | None = None
    impact: CommentarySource | None = None
    forecast: CommentarySource | None = None


class TargetLine(ReadModel):
    """One target's line of the return: the contract's keys, then the additions (after
    ``restatements``, so that the contract's keys keep their order)."""

    code: str
    title: str
    theme: str | None
    unit: str | None
    aggregation: str
    target: Number | None
    quarters: dict[str, Number | None]  # Q1..Q4; None: not reported, 0: reported zero
    total: Number | None
    percent_achieved: int | None  # half up, never capped; see domain.achievement.Measure
    councils: int | None = None  # distinct councils engaged over the year; None: none
    rag: str  # the stated RAG of the latest quarter that has one, else "none"
    rag_by_quarter: dict[str, str | None]
    commentary: Commentary
    restatements: list[Restatement]
    lead: str | None = None
    board: str | None = None
    direction: str = "higher_is_better"  # or lower_is_better (stated or by the threshold)
    threshold: str | None = None  # above, at_least, below, at_most; None: not a threshold
    met: bool | None = None  # the year figure meets the target; None: no figure or target
    trajectory: str | None = None  # green/amber/red: on course? (computed, never stated)
    rag_disagrees: bool = False  # the stated rag (green/amber/red) differs from trajectory
    direction_of_travel: str | None = None  # better/same/worse than the previous quarter
    commentary_from: CommentaryFrom = Field(default_factory=CommentaryFrom)


class Reminder(ReadModel):
    """A reminder issued before a quarter closed whose items are still missing."""

    code: str
    quarter: str
    missing: list[str]
    reminded_at: str


class ReturnSummary(ReadModel):
    """Targets counted by their ``rag``."""

    targets: int
    green: int
    amber: int
    red: int
    black: int
    none: int

    @classmethod
    def of(cls, targets: list[TargetLine]) -> ReturnSummary:
        counts = dict.fromkeys(RAG_VALUES, 0)
        for target in targets:
            counts[target.rag] += 1
        return cls(targets=len(targets), **counts)


class QuarterlyReturn(ReadModel):
    """The contract's ``report --format json`` document; ``reminders`` appears only when
    some are outstanding."""

    year: str
    as_at: str | None  # the recorded time asked for, or None for the return as it is now
    closed_quarters: list[str]
    targets: list[TargetLine]
    summary: ReturnSummary
    reminders: list[Reminder] = Field(default_factory=list, exclude_if=lambda found: not found)


# -- registers ---------------------------------------------------------------------------


class Revision(ReadModel):
    reason: str | None
    recorded_at: str
    revised_due: str


class MilestoneLine(ReadModel):
    """A milestone; dates are ISO text to the day or the month (``2016-09``)."""

    project: str
    milestone: str
    due: str
    current_due: str
    revisions: list[Revision]
    slippage_days: int  # positive: later than first planned; a month counts as its last day
    completed_on: str | None
    slippage_months: int = 0  # calendar months moved, days ignored
    status: str | None = None  # as the project reports it: Completed, On track ...
    rag: str | None = None


class ProjectLine(ReadModel):
    """A major project's status row, as last reported (the seeds' Major Projects Summary)."""

    project: str
    overall: str | None
    milestones: str | None
    budget: str | None
    risks: str | None
    headline: str | None
    reported_at: str


class RiskLine(ReadModel):
    """A risk of the register at its latest assessment (as at a moment, if asked)."""

    ref: str
    title: str | None
    impact: int
    likelihood: int
    score: int
    band: str  # green 1-5, yellow 6-10, amber 11-15, red 16-25
    owner: str | None = None
    category: str | None = None
    mitigation: str | None = None
    previous_score: int | None = None  # of the assessment before; None: the first
    direction_of_travel: str | None = None  # up, down, same against it; None: the first
    assessed_at: str | None = None  # recorded time of the latest assessment


class RiskAssessment(ReadModel):
    """One assessment of a risk, as its history lists them, oldest first."""

    ref: str
    position: int
    recorded_at: str
    actor: str | None
    reason: str | None
    command_id: str
    title: str | None
    owner: str | None
    category: str | None
    mitigation: str | None
    impact: int
    likelihood: int
    score: int
    band: str
    previous_score: int | None
    direction_of_travel: str | None


class RecentEngagement(ReadModel):
    """An engagement as the person who recorded it sees it in "your recent engagements"."""

    position: int
    year: str
    code: str
    recorded_at: str
    command_id: str
    quarter: str
    date: str
    council: str  # the register's code when the council was found there
    kind: str | None
    count: int
    notes: str | None


# -- history and change -----------------------------------------------------------------


class HistoryEntry(ReadModel):
    """One event of a target. Each kind of event adds its own detail fields after these
    (``old``/``new``, ``kind``, ``council``, ``definition`` ...), keys in sorted order."""

    model_config = ConfigDict(frozen=True, extra="allow")

    position: int
    recorded_at: str
    event: str  # e.g. Target.FigureReported, Engagement.Recorded
    actor: str | None
    reason: str | None
    command_id: str
    quarter: str | None

    def detail(self, name: str) -> Any:
        """A detail field of this kind of event, or None."""
        return (self.model_extra or {}).get(name)


class Change(ReadModel):
    field: str  # e.g. total, quarters.Q2, commentary.delivered
    before: Any
    after: Any


class TargetChanges(ReadModel):
    code: str
    title: str
    status: str  # added, changed
    changes: list[Change]
    events: list[HistoryEntry]  # recorded in (from, to]
    # Pages show only the latest events of a window: True when earlier ones were left out.
    more_events: bool = Field(default=False, exclude=True)


class ReturnDiff(ReadModel):
    """What changed in a year's return between two recorded times."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    year: str
    since: str = Field(alias="from")
    until: str | None = Field(alias="to")
    targets: list[TargetChanges]


# -- the year end ------------------------------------------------------------------------


class YearEndSummary(ReadModel):
    """Stored after Q4 closes (revised after restatements): targets by final RAG and by
    achievement band, and the seeds' "N of M key targets achieved" (see
    ``projections.year_end``). Stored without ``year`` (the reporting year's event names
    it); a summary stored before ``achieved`` existed reads with it (from its ``by_rag``)."""

    year: str
    targets: int
    by_rag: dict[str, int]
    by_achievement: dict[str, int]
    achieved: int  # final stated RAG green
    assessed: int  # final stated RAG green, amber or red
    headline: str  # "56 of 60 key targets achieved"

    @model_validator(mode="before")
    @classmethod
    def _achievement_line(cls, data: Any) -> Any:
        """``achieved``, ``assessed`` and ``headline`` follow from ``by_rag``: given when
        left out, so that a summary stored before they existed reads with them."""
        if isinstance(data, dict) and isinstance(data.get("by_rag"), dict):
            achieved, assessed = key_targets_achieved(data["by_rag"])
            data = {
                **data,
                "achieved": achieved,
                "assessed": assessed,
                "headline": f"{achieved} of {assessed} key targets achieved",
            }
        return data

    def stored(self) -> dict[str, Any]:
        """The summary as the year-end events carry it."""
        return self.model_dump(mode="json", exclude={"year"})


# -- the council register and take-up ----------------------------------------------------


class AttributeValue(ReadModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    since: str = Field(alias="from")
    value: str


class CouncilLine(ReadModel):
    """A council of the register, as it stood at the moment asked for."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    code: str
    name: str
    council_type: str = Field(alias="type")
    region: str
    aliases: list[str]
    valid_from: str | None = Field(alias="from")
    retired_on: str | None
    succeeded_by: str | None
    attributes: dict[str, list[AttributeValue]]  # e.g. political_control, oldest first

    def attribute_on(self, attribute: str, day: str) -> str | None:
        """The value of an attribute in effect on ``day`` (ISO date), if one was recorded."""
        found = [a.value for a in self.attributes.get(attribute, []) if a.since <= day]
        return found[-1] if found else None


class RegionTakeUp(ReadModel):
    """Take-up within one region: councils engaged of those there, and engagements."""

    region: str
    councils: int
    engaged: int
    percent: int | None  # engaged / councils x 100, half up
    engagements: int


class TypeTakeUp(ReadModel):
    """Take-up within one type of council."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    council_type: str = Field(alias="type")
    councils: int
    engaged: int
    percent: int | None
    engagements: int


class ControlTakeUp(ReadModel):
    """Take-up among councils under one political control (as recorded for the year)."""

    control: str
    councils: int
    engaged: int
    percent: int | None
    engagements: int


class KindTakeUp(ReadModel):
    kind: str | None
    engaged: int
    engagements: int


class ZeroTakeUp(ReadModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    code: str
    name: str
    council_type: str = Field(alias="type")
    region: str


class TakeUp(ReadModel):
    """Which councils the year's support reached, and which it missed (the contract's
    ``take-up --format json``). ``by_political_control`` appears when control is recorded."""

    year: str
    as_at: str | None
    code: str | None
    kind: str | None
    register_loaded: bool  # False: engagements name councils as free text, counted by name
    councils: int  # councils in the register during the year
    engaged: int
    percent: int | None
    engagements: int  # the sum of the engagements' counts
    first_time: int
    by_region: list[RegionTakeUp]
    by_type: list[TypeTakeUp]
    by_kind: list[KindTakeUp]
    by_political_control: list[ControlTakeUp] = Field(
        default_factory=list, exclude_if=lambda found: not found
    )
    zero_take_up: list[ZeroTakeUp]
    first_time_councils: list[str]
