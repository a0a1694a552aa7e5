"""The returns ledger: every command of the contract as a use case on one Application.

Each use case loads what it needs, lets the aggregates check the command, and returns the
changed aggregates; :meth:`ReturnsLedger.execute` stores them together with the command's
receipt in one transaction, which is what makes a command idempotent and atomic.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar, runtime_checkable
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.utils import Environment, EnvType, get_topic

from application.commands import (
    BaseCommand,
)
from application.council_use_cases import COUNCIL_USE_CASES, CouncilUseCases
from application.insert_conditions import ChainLink, InsertConditions, StaleDecision
from application.use_cases import USE_CASES, UseCase
from domain.engagements import Engagement
from domain.errors import Conflict, Refused
from domain.hash_chain import GENESIS, link
from domain.identity import receipt_id
from domain.provenance import Provenance, recorded_at
from domain.quarter_close import ReportingYear
from domain.receipts import CommandReceipt, Receipt, confirm_same

A = TypeVar("A", bound=Aggregate)

# Optimistic concurrency: a command that lost a race is decided again on fresh state.
MAX_ATTEMPTS = 20
QUARTER_CLOSED_TOPIC = get_topic(ReportingYear.QuarterClosed)  # what new closes are stored as


@runtime_checkable
class SealSource(Protocol):
    def chain_head(self) -> tuple[int, str] | None: ...


@runtime_checkable
class FirstEventSource(Protocol):
    def select_first_events(self, originator_ids: Sequence[UUID]) -> list[StoredEvent]:
        """The first event (version 1) of each of these aggregates that exists."""
        ...


class Outcome(StrEnum):
    STORED = "stored"
    ALREADY_STORED = "already_stored"


DISPATCH: dict[type[BaseCommand], UseCase] = USE_CASES | COUNCIL_USE_CASES


class ReturnsLedger(CouncilUseCases):
    name = "Quarterly"

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
        needed = self._needed(command)
        for _attempt in range(MAX_ATTEMPTS):
            self._reads.start()
            self._prefetch(needed)  # one query for what the decision will read
            try:
                changed = self._with_receipt(command, digest, self._decide(command, provenance))
            except Refused:
                if self._already_stored(command.id, digest):
                    return Outcome.ALREADY_STORED  # e.g. a retry after its quarter closed
                raise
            events = [event for aggregate in changed for event in aggregate.pending_events]
            try:
                self._store(*changed, conditions=self._reads.conditions(events, self._seal))
            except StaleDecision:
                continue  # e.g. its quarter closed meanwhile: decide again, at once
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

    def execute_batch(
        self,
        commands: Sequence[BaseCommand],
        recorded: Sequence[datetime] | None = None,
    ) -> list[Outcome | Refused]:
        """Many commands in one transaction: what bulk imports need to be fast.

        The receipts of all the batch's commands are looked up in one query, so commands
        stored before (an import re-run after a crash) are recognised without deciding
        them. The others are decided in order against the store plus the batch so far, and
        all their events are stored together, in command order. If the insert collides
        with a concurrent writer, nothing of the batch is stored and each command is
        executed on its own instead, with the usual idempotency and retries.

        ``recorded`` gives each command's recorded time: for sample data only (see
        :func:`domain.provenance.recorded_at`); everything else is recorded as it arrives.
        """
        events: list[Any] = []
        results: list[Outcome | Refused] = []
        stored_receipts = self._stored_receipts([command.id for command in commands])
        overlay = self._begin_batch()
        self._reads.start()
        try:
            self._preload(overlay, (i for command in commands for i in self._needed(command)))
            for number, command in enumerate(commands):
                clock = recorded_at(recorded[number]) if recorded else nullcontext()
                try:
                    with clock:
                        results.append(self._decide_in_batch(command, stored_receipts, events))
                except Refused as refusal:
                    results.append(refusal)
        finally:
            self._end_batch(overlay)
        try:
            if events:
                self._save_in_order(events, self._reads.conditions(events, self._seal))
        except IntegrityError:
            return [
                self._outcome_or_refusal(command, recorded[number] if recorded else None)
                for number, command in enumerate(commands)
            ]
        return results

    def _begin_batch(self) -> dict[UUID, Aggregate | None]:
        overlay: dict[UUID, Aggregate | None] = {}
        self._reads.overlay = overlay
        return overlay

    def _end_batch(self, overlay: dict[UUID, Aggregate | None]) -> None:  # noqa: ARG002
        self._reads.overlay = None

    def _stored_receipts(self, command_ids: Sequence[str]) -> dict[UUID, Receipt]:
        """The receipts of these commands that are in the store, found in bulk."""
        recorder = self.recorder
        if not isinstance(recorder, FirstEventSource):
            return {}
        found: dict[UUID, Receipt] = {}
        for stored in recorder.select_first_events([receipt_id(i) for i in command_ids]):
            event = self.mapper.to_domain_event(stored)
            if isinstance(event, CommandReceipt.Accepted | Engagement.Recorded):
                found[UUID(str(stored.originator_id))] = _DigestReceipt(event.digest)
        return found

    def _save_in_order(self, events: list[Any], conditions: InsertConditions) -> None:
        """Like ``save(*events)``, without a per-event protocol check (slow in bulk)."""
        processing = ProcessingEvent[UUID]()
        processing.events.extend(events)
        processing.saved_kwargs["conditions"] = conditions
        self._notify(self._record(processing))

    def _seal(self, head: ChainLink | None, stored: Sequence[StoredEvent]) -> list[StoredEvent]:
        """Called by the recorder under the store's write lock: each quarter close is sealed
        with the chain digest of the event just before it, so its seal covers every event
        stored before it (see application/insert_conditions.py)."""
        digest = head[1] if head else GENESIS
        sealed = []
        for event in stored:
            if event.topic == QUARTER_CLOSED_TOPIC:
                close = self.mapper.to_domain_event(event)
                assert isinstance(close, ReportingYear.QuarterClosed)
                # eventsourcing's stubs do not show the event's own fields to ``replace``.
                sealed_close = dataclasses.replace(close, seal=digest)  # type: ignore[call-arg]
                event = self.mapper.to_stored_event(sealed_close)
            sealed.append(event)
            digest = link(
                digest, event.originator_id, event.originator_version, event.topic, event.state
            )
        return sealed

    def _decide_in_batch(
        self, command: BaseCommand, stored_receipts: dict[UUID, Receipt], events: list[Any]
    ) -> Outcome:
        digest = command.digest()
        assert self._overlay is not None
        key = receipt_id(command.id)
        decided = self._overlay.get(key)  # earlier in this batch (or this dry run)
        receipt: Receipt | None = (
            decided if isinstance(decided, CommandReceipt | Engagement) else None
        )
        receipt = receipt or stored_receipts.get(key)
        if receipt is not None:
            receipt.confirm_same(command.id, digest)  # raises CommandConflict if it differs
            return Outcome.ALREADY_STORED
        provenance = Provenance(command.id, command.actor, command.reason)
        try:
            decided_now = self._decide(command, provenance)
        except Refused:
            # Without a bulk look-up (eventsourcing's in-memory store) a stored command was
            # not recognised above: a replay whose quarter has closed since is still a replay.
            if not isinstance(self.recorder, FirstEventSource) and self._already_stored(
                command.id, digest
            ):
                return Outcome.ALREADY_STORED
            raise
        changed = self._with_receipt(command, digest, decided_now)
        for aggregate in changed:
            events.extend(aggregate.collect_events())
            self._overlay[aggregate.id] = aggregate
        return Outcome.STORED

    def _outcome_or_refusal(
        self, command: BaseCommand, moment: datetime | None = None
    ) -> Outcome | Refused:
        try:
            with recorded_at(moment) if moment else nullcontext():
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
        return DISPATCH[type(command)](self, command, provenance)

    def chain_head(self) -> tuple[int, str] | None:
        """The latest link of the hash chain, when the store keeps one."""
        recorder = self.recorder
        if isinstance(recorder, SealSource):
            return recorder.chain_head()
        return None

    # -- storing

    def _store(self, *aggregates: Aggregate, conditions: InsertConditions) -> None:
        """Like ``save(*aggregates)``, without eventsourcing's per-object protocol checks
        (they showed in a command's profile). No snapshots are configured to take."""
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        self._save_in_order(events, conditions)


class DryRunLedger(ReturnsLedger):
    """Decides every command exactly as an import would, against the stored state plus
    earlier dry-run commands, and stores nothing: the same counts as the real run."""

    # eventsourcing names an application's tables after its class unless told otherwise;
    # a dry run must read the ledger's own events, not an empty table of its own.
    name = ReturnsLedger.name

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        # What earlier commands and batches decided stays decided, for every later one.
        self._decided: dict[UUID, Aggregate | None] = {}

    @property
    def _overlay(self) -> dict[UUID, Aggregate | None] | None:
        """Everything this dry run has decided, whichever thread decided it (a dry run
        is one import's, and decides in order)."""
        return self._decided

    def execute(self, command: BaseCommand) -> Outcome:
        """As the real ledger decides it: a command stored before (or decided earlier in
        this dry run) is already stored, even where nothing would collide."""
        if self._already_stored(command.id, command.digest()):
            return Outcome.ALREADY_STORED
        return super().execute(command)

    def _begin_batch(self) -> dict[UUID, Aggregate | None]:
        return self._decided

    def _end_batch(self, overlay: dict[UUID, Aggregate | None]) -> None:
        pass

    def _save_in_order(self, events: list[Any], conditions: InsertConditions) -> None:
        pass

    def _store(self, *aggregates: Aggregate, conditions: InsertConditions) -> None:  # noqa: ARG002
        for aggregate in aggregates:
            aggregate.collect_events()
            self._decided[aggregate.id] = aggregate


@dataclasses.dataclass(frozen=True)
class _DigestReceipt:
    """A stored receipt, known by the digest of the command it accepted."""

    digest: str

    def confirm_same(self, command_id: str, digest: str) -> None:
        confirm_same(self.digest, command_id, digest)


def _type_of(command: BaseCommand) -> str:
    kind: str = getattr(command, "type")  # noqa: B009 - every concrete command has it
    return kind
