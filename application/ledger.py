"""The returns ledger: every command of the contract as a use case on one Application.

Each use case loads what it needs, lets the aggregates check the command, and returns the
changed aggregates; :meth:`ReturnsLedger.execute` stores them together with the command's
receipt in one transaction, which is what makes a command idempotent and atomic.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol, TypeVar, runtime_checkable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment, EnvType

from application.commands import (
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
    ReviseMilestone,
    SetRag,
    SummariseYear,
)
from domain.calendar import FinancialYear, Quarter
from domain.engagements import Engagement
from domain.errors import CommandConflict, Conflict, Refused, UnknownReference
from domain.identity import milestone_id, receipt_id, reporting_year_id, risk_id, target_id
from domain.milestones import Milestone
from domain.provenance import Provenance
from domain.quarter_close import ReportingYear
from domain.receipts import CommandReceipt, Receipt
from domain.risks import Risk
from domain.targets import Target, TargetDefinition

A = TypeVar("A", bound=Aggregate)

# Optimistic concurrency: a command that lost a race is decided again on fresh state.
MAX_ATTEMPTS = 20


@runtime_checkable
class SealSource(Protocol):
    def chain_head(self) -> tuple[int, str] | None: ...


class Outcome(StrEnum):
    STORED = "stored"
    ALREADY_STORED = "already_stored"


class ReturnsLedger(Application[UUID]):
    name = "Quarterly"

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        # Aggregates decided but not yet stored (a batch, or a dry run): consulted first.
        self._overlay: dict[UUID, Aggregate | None] | None = None

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """eventsourcing's configuration: exactly what the caller passed, nothing else.

        eventsourcing's own ``construct_env`` merges ``os.environ`` underneath it, and its
        ``Environment`` prefers ``QUARTERLY_``-prefixed keys, so a stray variable in the
        process (``POSTGRES_ENABLE_DB_FUNCTIONS``, ``QUARTERLY_PERSISTENCE_MODULE``,
        ``CIPHER_KEY`` ...) could switch the hash chain off or move the events elsewhere.
        The caller (``infra/store.py``) builds ``env`` from our settings; that is all we read.
        """
        return Environment(name, dict(env or {}))

    def execute(self, command: BaseCommand) -> Outcome:
        """Stores the command's events, or recognises it as already stored.

        The receipt is looked for only when something is refused or collides: a new
        command (the usual case) costs no look-up, and a replay is still recognised.
        """
        provenance = Provenance(command.id, command.actor, command.reason)
        digest = command.digest()
        for _attempt in range(MAX_ATTEMPTS):
            try:
                changed = self._with_receipt(command, digest, self._decide(command, provenance))
            except Refused:
                if self._already_stored(command.id, digest):
                    return Outcome.ALREADY_STORED  # e.g. a retry after its quarter closed
                raise
            try:
                self._store(*changed)
            except IntegrityError:
                if self._already_stored(command.id, digest):
                    return Outcome.ALREADY_STORED
                # An aggregate moved on under us: back off, decide again on fresh state.
                time.sleep(random.uniform(0, 0.002 * 2 ** min(_attempt, 8)))  # noqa: S311
                continue
            return Outcome.STORED
        raise Conflict(f"command {command.id!r} kept colliding with concurrent writes; try again")

    def _already_stored(self, command_id: str, digest: str) -> bool:
        """True for a replay; raises CommandConflict for the same id with other content."""
        receipt = self._receipt(command_id)
        if receipt is None:
            return False
        receipt.confirm_same(command_id, digest)
        return True

    def execute_batch(self, commands: Sequence[BaseCommand]) -> list[Outcome | Refused]:
        """Many commands in one transaction: what bulk imports need to be fast.

        The commands are decided in order against the store plus the batch so far, and all
        their events are stored together, in command order. If anything collides (a command
        stored before, a concurrent writer), nothing of the batch is stored and each
        command is executed on its own instead, with the usual idempotency and retries.
        """
        events: list[Any] = []
        results: list[Outcome | Refused] = []
        digests: dict[str, str] = {}
        self._overlay = {}
        try:
            for command in commands:
                try:
                    results.append(self._decide_in_batch(command, digests, events))
                except Refused as refusal:
                    results.append(refusal)
        finally:
            self._overlay = None
        try:
            if events:
                self._save_in_order(events)
        except IntegrityError:
            return [self._outcome_or_refusal(command) for command in commands]
        return results

    def _save_in_order(self, events: list[Any]) -> None:
        """Like ``save(*events)``, without a per-event protocol check (slow in bulk)."""
        processing = ProcessingEvent[UUID]()
        processing.events.extend(events)
        self._notify(self._record(processing))

    def _decide_in_batch(
        self, command: BaseCommand, digests: dict[str, str], events: list[Any]
    ) -> Outcome:
        digest = command.digest()
        if command.id in digests:
            if digests[command.id] != digest:
                raise CommandConflict(
                    f"command {command.id!r} appears twice with different content", field="id"
                )
            return Outcome.ALREADY_STORED
        provenance = Provenance(command.id, command.actor, command.reason)
        changed = self._with_receipt(command, digest, self._decide(command, provenance))
        digests[command.id] = digest
        for aggregate in changed:
            events.extend(aggregate.collect_events())
            assert self._overlay is not None
            self._overlay[aggregate.id] = aggregate
        return Outcome.STORED

    def _outcome_or_refusal(self, command: BaseCommand) -> Outcome | Refused:
        try:
            return self.execute(command)
        except Refused as refusal:
            return refusal

    def _receipt(self, command_id: str) -> Receipt | None:
        found = self._find(Aggregate, receipt_id(command_id))
        if found is None:
            return None
        assert isinstance(found, CommandReceipt | Engagement), found
        return found

    @staticmethod
    def _with_receipt(
        command: BaseCommand, digest: str, changed: Sequence[Aggregate]
    ) -> list[Aggregate]:
        """The changed aggregates, preceded by a receipt unless one of them is its own."""
        if any(aggregate.id == receipt_id(command.id) for aggregate in changed):
            return list(changed)
        provenance = Provenance(command.id, command.actor, command.reason)
        return [CommandReceipt.accept(_type_of(command), digest, provenance), *changed]

    def _decide(self, command: BaseCommand, provenance: Provenance) -> Sequence[Aggregate]:
        handlers: dict[type[BaseCommand], Any] = {
            DefineTarget: self.define_target,
            RecordEngagement: self.record_engagement,
            ReportFigure: self.report_figure,
            SetRag: self.set_rag,
            Comment: self.comment,
            DefineMilestone: self.define_milestone,
            ReviseMilestone: self.revise_milestone,
            CompleteMilestone: self.complete_milestone,
            AssessRisk: self.assess_risk,
            CloseQuarter: self.close_quarter,
            IssueReminder: self.issue_reminder,
            SummariseYear: self.summarise_year,
        }
        changed: Sequence[Aggregate] = handlers[type(command)](command, provenance)
        return changed

    # -- use cases -------------------------------------------------------------------

    def define_target(self, command: DefineTarget, provenance: Provenance) -> list[Aggregate]:
        definition = TargetDefinition(
            title=command.title,
            aggregation=command.aggregation.value,
            theme=command.theme,
            target=command.target,
            unit=command.unit,
            lead=command.lead,
            board=command.board,
        )
        target = self._find(Target, target_id(command.year, command.code))
        if target is None:
            year = FinancialYear.parse(command.year)
            return [Target.define(year, command.code, definition, provenance)]
        target.amend(definition, provenance)
        return [target]

    def record_engagement(
        self, command: RecordEngagement, provenance: Provenance
    ) -> list[Aggregate]:
        target = self._target(command.year, command.code)
        engagement = Engagement.record(
            target,
            command.date,
            command.council,
            provenance,
            closed_quarters=self._closed_quarters(command.year),
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
        return [Milestone.define(command.project, command.milestone, command.due, provenance)]

    def revise_milestone(self, command: ReviseMilestone, provenance: Provenance) -> list[Aggregate]:
        milestone = self._milestone(command.project, command.milestone)
        milestone.revise(command.revised_due, provenance)
        return [milestone]

    def complete_milestone(
        self, command: CompleteMilestone, provenance: Provenance
    ) -> list[Aggregate]:
        milestone = self._milestone(command.project, command.milestone)
        milestone.complete(command.completed_on, provenance)
        return [milestone]

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
                )
            ]
        risk.reassess(
            command.impact,
            command.likelihood,
            provenance,
            title=command.title,
            owner=command.owner,
        )
        return [risk]

    def close_quarter(self, command: CloseQuarter, provenance: Provenance) -> list[Aggregate]:
        year = self._find(ReportingYear, reporting_year_id(command.year))
        if year is None:
            year = ReportingYear.open(FinancialYear.parse(command.year), provenance)
        year.close(command.quarter, provenance, seal=self.chain_head())
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

    def closed_quarters(self, year: str) -> frozenset[Quarter]:
        return self._closed_quarters(year)

    def year_summary(self, year: str) -> dict[str, Any] | None:
        found = self._find(ReportingYear, reporting_year_id(year))
        return None if found is None else found.summary

    def known_years(self) -> list[str]:
        """Every financial year that has a target, oldest first."""
        topic = f"{Target.__module__}:{Target.Defined.__qualname__}"
        years: set[str] = set()
        start = 1
        while True:
            batch = self.recorder.select_notifications(start, 1000, topics=[topic])
            for notification in batch:
                event = self.mapper.to_domain_event(notification)
                assert isinstance(event, Target.Defined)
                years.add(event.year)
            if len(batch) < 1000:
                return sorted(years)
            start = batch[-1].id + 1

    def chain_head(self) -> tuple[int, str] | None:
        """The latest link of the hash chain, when the store keeps one."""
        recorder = self.recorder
        if isinstance(recorder, SealSource):
            return recorder.chain_head()
        return None

    # -- loading and storing ---------------------------------------------------------

    def _closed_quarters(self, year: str) -> frozenset[Quarter]:
        reporting_year = self._find(ReportingYear, reporting_year_id(year))
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

    def _find(self, kind: type[A], aggregate_id: UUID) -> A | None:
        overlay = self._overlay
        if overlay is not None and aggregate_id in overlay:
            aggregate: Aggregate | None = overlay[aggregate_id]
        else:
            try:
                aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                aggregate = None
            if overlay is not None:  # a batch reads each aggregate once
                overlay[aggregate_id] = aggregate
        if aggregate is None:
            return None
        if not isinstance(aggregate, kind):
            raise TypeError(f"{aggregate_id} is a {type(aggregate).__name__}, not a {kind}")
        return aggregate

    def _store(self, *aggregates: Aggregate) -> None:
        self.save(*aggregates)


class DryRunLedger(ReturnsLedger):
    """Decides every command against the stored state plus earlier dry-run commands,
    and stores nothing."""

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self._overlay = {}

    def execute_batch(self, commands: Sequence[BaseCommand]) -> list[Outcome | Refused]:
        return [self._outcome_or_refusal(command) for command in commands]

    def _store(self, *aggregates: Aggregate) -> None:
        assert self._overlay is not None
        for aggregate in aggregates:
            aggregate.collect_events()
            self._overlay[aggregate.id] = aggregate


def _type_of(command: BaseCommand) -> str:
    kind: str = getattr(command, "type")  # noqa: B009 - every concrete command has it
    return kind
