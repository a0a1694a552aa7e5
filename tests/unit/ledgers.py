"""The returns ledger on eventsourcing's in-memory store: the application layer with no
database, for tests of the contract's rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from application.commands import parse_command
from application.ledger import DryRunLedger, Outcome, ReturnsLedger
from domain.errors import Refused

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def in_memory() -> ReturnsLedger:
    """A ledger whose events live in this process only."""
    return ReturnsLedger(env=IN_MEMORY)


class _DryRunOver(DryRunLedger):
    """A dry run reading another ledger's in-memory events, as ``--dry-run`` reads the
    store's (there, both open the same tables; here, they share the recorder)."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self._shared = recorder
        super().__init__(env=IN_MEMORY)

    def construct_recorder(self) -> ApplicationRecorder:
        return self._shared


def dry_run_over(ledger: ReturnsLedger) -> DryRunLedger:
    """A dry-run ledger over what ``ledger`` has stored."""
    return _DryRunOver(ledger.recorder)


def execute(ledger: ReturnsLedger, payload: dict[str, Any]) -> Outcome:
    """Parses ``payload`` as the contract's command and executes it."""
    return ledger.execute(parse_command(payload))


def execute_batch(
    ledger: ReturnsLedger, payloads: Iterable[dict[str, Any]]
) -> list[Outcome | Refused]:
    """Parses every payload and executes them as one batch."""
    return ledger.execute_batch([parse_command(payload) for payload in payloads])


def one_by_one(
    ledger: ReturnsLedger, payloads: Iterable[dict[str, Any]]
) -> list[Outcome | Refused]:
    """Executes each payload on its own: the outcome, or the refusal it raised."""
    outcomes: list[Outcome | Refused] = []
    for payload in payloads:
        try:
            outcomes.append(execute(ledger, payload))
        except Refused as refusal:
            outcomes.append(refusal)
    return outcomes


def event_count(ledger: ReturnsLedger) -> int:
    """How many events the ledger's store holds."""
    return len(ledger.recorder.select_notifications(1, 10**7))
