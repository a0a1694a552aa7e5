"""The use cases of the returns ledger: one method per command of the contract.

Each loads what it needs, lets the aggregates check the command, and returns the changed
aggregates; :class:`application.ledger.ReturnsLedger` stores them with the command's
receipt, atomically and idempotently. :data:`USE_CASES` dispatches a command to its method:
a table built once.

Its length: one short method per command of the contract, in the contract's order; the
table that dispatches to them is the module's point, so they are not split.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar, runtime_checkable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from application.commands import (
    AmendTarget,
    AssessRisk,
    BaseCommand,
    CloseQuarter,
    Comment,
    CompleteMilestone,
    DefineMilestone,
    DefineTarget,
    IssueReminder,
    RecordEngagement,
    ReportFigure,
    ReportProject,
    ReviseMilestone,
    ReviseYearSummary,
    SetMilestoneStatus,
    SetRag,
    SummariseYear,
)
from application.council_lookup import resolve_council
from application.event_topics import topics_of
from application.insert_conditions import InsertConditions
from domain.calendar import FinancialYear, Quarter
from domain.councils import (
    DIRECTORY_ID,
    CouncilDirectory,
    CouncilName,
    council_id,
    council_key,
    council_name_id,
)
from domain.engagements import Engagement
from domain.errors import BadInput, Conflict, UnknownReference
from domain.identity import milestone_id, project_id, reporting_year_id, risk_id, target_id
from domain.milestones import Milestone, MilestoneDate
from domain.projects import Project, ProjectStatus
from domain.provenance import Provenance
from domain.quarter_close import ReportingYear
from domain.risks import Risk
from domain.targets import Target, TargetDefinition

A = TypeVar("A", bound=Aggregate)

# Aggregates loaded by one query when a batch is preloaded (well under SQLite's limit of
# bound parameters).
PRELOAD_CHUNK = 500


class _Reads(threading.local):
    """What the decision in hand (one command, or one batch) read from the store, per thread:
    the version each aggregate had when first loaded, and which of those must still be
    unchanged when its events are inserted."""

    def __init__(self) -> None:
        self.loaded: dict[UUID, int] = {}
        self.guarded: set[UUID] = set()
        # Aggregates loaded together before the decision (None: not stored); see prefetch.
        self.prefetched: dict[UUID, Aggregate | None] = {}
        # Every aggregate the decision read, as it read it (None: not stored).
        self.seen: dict[UUID, Aggregate | None] = {}
        # Aggregates decided but not yet stored (a batch in hand): consulted first. Kept
        # apart from ``start``, which each command of a batch calls.
        self.overlay: dict[UUID, Aggregate | None] | None = None

    def start(self) -> None:
        self.loaded = {}
        self.guarded = set()
        self.prefetched = {}
        self.seen = {}

    def conditions(self, events: Sequence[Any], sealer: Any) -> InsertConditions:
        has_close = any(isinstance(e, ReportingYear.QuarterClosed) for e in events)
        return InsertConditions(
            unchanged={aggregate: self.loaded[aggregate] for aggregate in self.guarded},
            seal=sealer if has_close else None,
        )


@runtime_checkable
class AggregateEventSource(Protocol):
    def select_aggregate_events(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every stored event of these aggregates, in one query, by aggregate then version."""
        ...


def needed_by(command: BaseCommand, *, directory: bool = True) -> list[UUID]:
    """The aggregates a command's decision will read, as far as the command alone says:
    its year's reporting year and its target, and for an engagement the register entry
    its council name would be found under (the council that entry names is loaded with
    it: see ``_load_with_councils``) and, with ``directory``, the register's directory,
    which a decision reads to learn that there is no register. Loading these together is
    only a saving: anything not named here is loaded when the decision asks for it."""
    year, code = getattr(command, "year", None), getattr(command, "code", None)
    if not isinstance(year, str):
        return []
    needed = [reporting_year_id(year)]
    if isinstance(code, str):
        needed.append(target_id(year, code))
    if isinstance(command, RecordEngagement):
        needed.append(council_name_id(council_key(command.council)))
        if directory:
            needed.append(DIRECTORY_ID)
    return needed


class ReturnsUseCases(Application[UUID]):
    """The use cases and what they read; the ledger adds storing and idempotency."""

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self._reads = _Reads()
        # Whether this store has a council register, once seen: it then always has one
        # (councils are retired, never removed). Until then, each engagement's decision
        # loads the register's directory with what it reads, to learn there is none;
        # after, it never does (the directory holds an event per council: loading it for
        # every engagement cost 8 ms of the 10 a command took with 353 councils).
        self._register_seen = False
        # The council each register entry seen names (an entry never changes once
        # claimed), so that an engagement naming it loads the council in the same query.
        self._council_codes: dict[str, str] = {}

    def _needed(self, command: BaseCommand) -> list[UUID]:
        """What to load together for ``command`` (see :func:`needed_by`), with the
        council its name is known to name."""
        needed = needed_by(command, directory=not self._register_seen)
        if isinstance(command, RecordEngagement):
            code = self._council_codes.get(council_key(command.council))
            if code is not None:
                needed.append(council_id(code))
        return needed

    def define_target(self, command: DefineTarget, provenance: Provenance) -> list[Aggregate]:
        definition = TargetDefinition(**command.definition_fields())
        target = self._find(Target, target_id(command.year, command.code))
        if target is None:
            year = FinancialYear.parse(command.year)
            return [Target.define(year, command.code, definition, provenance)]
        if definition != target.definition:
            raise Conflict(
                f"target {command.code} of {command.year} is already defined as "
                f"{target.definition.title!r}; to change it, send amend_target with a reason",
                field="code",
            )
        return []  # the same definition again: nothing to store but the receipt

    def amend_target(self, command: AmendTarget, provenance: Provenance) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        amended = dataclasses.replace(target.definition, **command.changes())
        if amended == target.definition:
            raise BadInput("amend_target changes nothing: give the fields whose values change")
        target.amend(amended, provenance)
        return [target]

    def record_engagement(
        self, command: RecordEngagement, provenance: Provenance
    ) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        council_code = resolve_council(self._find, command.council, command.date)
        engagement = Engagement.record(
            target,
            command.date,
            command.council,
            provenance,
            closed_quarters=self._closed_quarters(command.year),
            council_code=council_code,
            count=command.count,
            kind=command.kind,
            region=command.region,
            notes=command.notes,
            restatement_reason=command.restatement_reason,
            digest=command.digest(),
        )
        return [engagement]

    def report_figure(self, command: ReportFigure, provenance: Provenance) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        target.report_figure(
            command.quarter,
            command.value,
            provenance,
            closed=command.quarter in self._closed_quarters(command.year),
            restatement_reason=command.restatement_reason,
        )
        return [target]

    def set_rag(self, command: SetRag, provenance: Provenance) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        target.set_rag(
            command.quarter,
            command.rag,
            provenance,
            closed=command.quarter in self._closed_quarters(command.year),
            restatement_reason=command.restatement_reason,
        )
        return [target]

    def comment(self, command: Comment, provenance: Provenance) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        target.write_commentary(
            command.quarter,
            command.kind,
            command.text,
            provenance,
            closed=command.quarter in self._closed_quarters(command.year),
            restatement_reason=command.restatement_reason,
        )
        return [target]

    def define_milestone(self, command: DefineMilestone, provenance: Provenance) -> list[Aggregate]:
        existing = self._find(Milestone, milestone_id(command.project, command.milestone))
        if existing is not None:
            raise Conflict(
                f"milestone {command.milestone!r} of {command.project!r} is already "
                "defined; use revise_milestone to move its date",
                field="milestone",
            )
        return [
            Milestone.define(
                command.project,
                command.milestone,
                MilestoneDate.parse(command.due, field="due"),
                provenance,
            )
        ]

    def revise_milestone(self, command: ReviseMilestone, provenance: Provenance) -> list[Aggregate]:
        milestone = self._milestone(command.project, command.milestone)
        milestone.revise(MilestoneDate.parse(command.revised_due, field="revised_due"), provenance)
        return [milestone]

    def complete_milestone(
        self, command: CompleteMilestone, provenance: Provenance
    ) -> list[Aggregate]:
        milestone = self._milestone(command.project, command.milestone)
        milestone.complete(
            MilestoneDate.parse(command.completed_on, field="completed_on"), provenance
        )
        return [milestone]

    def set_milestone_status(
        self, command: SetMilestoneStatus, provenance: Provenance
    ) -> list[Aggregate]:
        """The fields given replace the milestone's; the same status again stores nothing."""
        milestone = self._milestone(command.project, command.milestone)
        given = command.model_fields_set
        status = command.status if "status" in given else milestone.status
        rag = command.rag if "rag" in given else milestone.rag
        return [milestone] if milestone.set_status(status, rag, provenance) else []

    def report_project(self, command: ReportProject, provenance: Provenance) -> list[Aggregate]:
        """The fields given replace the project's status row; the same row again stores
        nothing. The first report opens the project."""
        project = self._find(Project, project_id(command.project))
        if project is None:
            project = Project.open(command.project, provenance)
        row = dataclasses.replace(project.status or ProjectStatus(), **command.changes())
        return [project] if project.report(row, provenance) else []

    def assess_risk(self, command: AssessRisk, provenance: Provenance) -> list[Aggregate]:
        risk = self._find(Risk, risk_id(command.ref))
        if risk is None:
            return [
                Risk.register(
                    command.ref,
                    command.impact,
                    command.likelihood,
                    provenance,
                    title=command.title,
                    owner=command.owner,
                    category=command.category,
                    mitigation=command.mitigation,
                )
            ]
        risk.reassess(
            command.impact,
            command.likelihood,
            provenance,
            title=command.title,
            owner=command.owner,
            category=command.category,
            mitigation=command.mitigation,
        )
        return [risk]

    def close_quarter(self, command: CloseQuarter, provenance: Provenance) -> list[Aggregate]:
        year = self._find(ReportingYear, reporting_year_id(command.year))
        if year is None:
            year = ReportingYear.open(FinancialYear.parse(command.year), provenance)
        year.close(command.quarter, provenance)  # sealed as it is inserted: see _seal
        return [year]

    def issue_reminder(self, command: IssueReminder, provenance: Provenance) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        target.remind(command.quarter, list(command.missing), provenance)
        return [target]

    def summarise_year(self, command: SummariseYear, provenance: Provenance) -> list[Aggregate]:
        year = self._find(ReportingYear, reporting_year_id(command.year))
        if year is None:
            raise Conflict(f"{command.year} is summarised after Q4 closes", field="year")
        year.summarise(command.summary, provenance)
        return [year]

    def revise_year_summary(
        self, command: ReviseYearSummary, provenance: Provenance
    ) -> list[Aggregate]:
        year = self._find(ReportingYear, reporting_year_id(command.year))
        if year is None:
            raise Conflict(f"{command.year} has no year-end summary to revise yet", field="year")
        year.revise_summary(command.summary, provenance)
        return [year]

    def summarised_at(self, year: str) -> datetime | None:
        """When the year-end summary was last stored (None: not yet)."""
        found = self._find(ReportingYear, reporting_year_id(year))
        return None if found is None else found.summarised_at

    def closed_quarters(self, year: str) -> frozenset[Quarter]:
        return self._closed_quarters(year)

    def year_summary(self, year: str) -> dict[str, Any] | None:
        found = self._find(ReportingYear, reporting_year_id(year))
        return None if found is None else found.summary

    def year_summary_as_read(self, year: str) -> dict[str, Any] | None:
        """The year's summary as the last command decided on this thread read (or loaded
        with) its reporting year, without loading it again; loaded if it did not. For what
        follows a stored command: a summary stored meanwhile by another process is seen by
        the worker's next run."""
        key = reporting_year_id(year)
        for read in (self._reads.seen, self._reads.prefetched):
            if key in read:
                found = read[key]
                return found.summary if isinstance(found, ReportingYear) else None
        return self.year_summary(year)

    def known_years(self) -> list[str]:
        """Every financial year that has a target, oldest first."""
        topics = topics_of(Target.Defined)
        years: set[str] = set()
        start = 1
        while True:
            batch = self.recorder.select_notifications(start, 1000, topics=topics)
            for notification in batch:
                event = self.mapper.to_domain_event(notification)
                assert isinstance(event, Target.Defined)
                years.add(event.year)
            if len(batch) < 1000:
                return sorted(years)
            start = batch[-1].id + 1

    # -- loading and storing ---------------------------------------------------------

    def _closed_quarters(self, year: str) -> frozenset[Quarter]:
        """The closed quarters of a year; a decision that reads them is inserted only if no
        quarter of that year closed in between (checked under the store's write lock)."""
        reporting_year = self._find(ReportingYear, reporting_year_id(year))
        self._reads.guarded.add(reporting_year_id(year))
        if reporting_year is None:
            return frozenset()
        return frozenset(reporting_year.closed_quarters)

    def _target(self, year: str, code: str) -> Target:
        target = self._find(Target, target_id(year, code))
        if target is None:
            raise UnknownReference(
                f"no target {code!r} is defined for {year}; define_target it first",
                field="code",
            )
        return target

    def _milestone(self, project: str, milestone: str) -> Milestone:
        found = self._find(Milestone, milestone_id(project, milestone))
        if found is None:
            raise UnknownReference(
                f"no milestone {milestone!r} is defined for project {project!r}",
                field="milestone",
            )
        return found

    def find(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate with this id, or None; for other use cases (access checks)."""
        return self._find(kind, aggregate_id)

    @functools.cached_property
    def _aggregate_event_source(self) -> AggregateEventSource | None:
        """The recorder, when it loads several aggregates in one query (once: a protocol
        check is slow enough to show in a command's profile)."""
        recorder = self.recorder
        return recorder if isinstance(recorder, AggregateEventSource) else None

    def _prefetch(self, aggregate_ids: Sequence[UUID]) -> None:
        """Loads these aggregates in one query, for the decision in hand (this thread's,
        until ``_reads.start()``): one round trip instead of one per aggregate."""
        if aggregate_ids and self._aggregate_event_source is not None:
            self._reads.prefetched = self._load_with_councils(aggregate_ids)

    def _preload(
        self, overlay: dict[UUID, Aggregate | None], aggregate_ids: Iterable[UUID]
    ) -> None:
        """Loads into a batch's ``overlay``, in one query per :data:`PRELOAD_CHUNK`, the
        aggregates its commands will read that it does not hold yet: one round trip per
        batch instead of one per aggregate (a batch of engagements names many councils)."""
        if self._aggregate_event_source is None:
            return
        missing = list(dict.fromkeys(i for i in aggregate_ids if i not in overlay))
        for start in range(0, len(missing), PRELOAD_CHUNK):
            overlay.update(
                self._load_with_councils(missing[start : start + PRELOAD_CHUNK], overlay)
            )

    def _load_with_councils(
        self, aggregate_ids: Sequence[UUID], held: Container[UUID] = ()
    ) -> dict[UUID, Aggregate | None]:
        """These aggregates as stored (see :meth:`_load_together`), and the councils that
        the register entries among them name, unless ``held`` holds them already: a
        second query, made only when an entry was found."""
        found = self._load_together(aggregate_ids)
        entries = [entry for entry in found.values() if isinstance(entry, CouncilName)]
        self._council_codes.update((entry.key, entry.code) for entry in entries)
        named = [council_id(entry.code) for entry in entries]
        directory = found.get(DIRECTORY_ID)
        if named or (isinstance(directory, CouncilDirectory) and directory.names):
            self._register_seen = True
        then = [i for i in dict.fromkeys(named) if i not in found and i not in held]
        if then:
            found.update(self._load_together(then))
        return found

    def _load_together(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, Aggregate | None]:
        """These aggregates as stored (None: not stored), from one query."""
        recorder = self._aggregate_event_source
        assert recorder is not None
        events: dict[UUID, list[Any]] = {aggregate_id: [] for aggregate_id in aggregate_ids}
        for stored in recorder.select_aggregate_events(list(events)):
            events[UUID(str(stored.originator_id))].append(self.mapper.to_domain_event(stored))
        return {aggregate_id: _projected(found) for aggregate_id, found in events.items()}

    @property
    def _overlay(self) -> dict[UUID, Aggregate | None] | None:
        """Aggregates decided but not yet stored, consulted before the store: the batch
        this thread has in hand (each thread its own: batches and single commands may run
        at once on one ledger), or None."""
        return self._reads.overlay

    def _find(self, kind: type[A], aggregate_id: UUID) -> A | None:
        overlay = self._overlay
        prefetched = self._reads.prefetched
        if overlay is not None and aggregate_id in overlay:
            aggregate: Aggregate | None = overlay[aggregate_id]
        elif aggregate_id in prefetched:
            aggregate = prefetched.pop(aggregate_id)  # a decision reads each once
        else:
            try:
                aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                aggregate = None
            if overlay is not None:  # a batch reads each aggregate once
                overlay[aggregate_id] = aggregate
        # The version first read in this decision: what an insert condition compares with.
        self._reads.loaded.setdefault(aggregate_id, 0 if aggregate is None else aggregate.version)
        self._reads.seen[aggregate_id] = aggregate
        if aggregate is None:
            return None
        if not isinstance(aggregate, kind):
            raise TypeError(f"{aggregate_id} is a {type(aggregate).__name__}, not a {kind}")
        return aggregate


def _projected(events: Sequence[Any]) -> Aggregate | None:
    """The aggregate these events (its whole history, in order) make; None for none.
    eventsourcing's ``project_aggregate`` without its per-event protocol check, which
    showed in a command's profile."""
    aggregate: Aggregate | None = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


# (the ledger, a command of the type, who and why) -> the changed aggregates
UseCase = Callable[[Any, Any, Provenance], Sequence[Aggregate]]

USE_CASES: dict[type[BaseCommand], UseCase] = {
    DefineTarget: ReturnsUseCases.define_target,
    AmendTarget: ReturnsUseCases.amend_target,
    RecordEngagement: ReturnsUseCases.record_engagement,
    ReportFigure: ReturnsUseCases.report_figure,
    SetRag: ReturnsUseCases.set_rag,
    Comment: ReturnsUseCases.comment,
    DefineMilestone: ReturnsUseCases.define_milestone,
    ReviseMilestone: ReturnsUseCases.revise_milestone,
    CompleteMilestone: ReturnsUseCases.complete_milestone,
    SetMilestoneStatus: ReturnsUseCases.set_milestone_status,
    ReportProject: ReturnsUseCases.report_project,
    AssessRisk: ReturnsUseCases.assess_risk,
    CloseQuarter: ReturnsUseCases.close_quarter,
    IssueReminder: ReturnsUseCases.issue_reminder,
    SummariseYear: ReturnsUseCases.summarise_year,
    ReviseYearSummary: ReturnsUseCases.revise_year_summary,
}
