"""Running commands on a store and reading the return back, for tests on both stores.

Commands come from :mod:`tests.builders`; a year with many commands from
:mod:`bench.workload`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from application.commands import parse_command
from application.ledger import Outcome
from infra.store import Store
from projections.quarterly_return import read_return
from projections.runner import ProjectionRunner
from tests.builders import YEAR, Command

__all__ = ["YEAR", "event_count", "execute", "execute_all", "report", "run", "target_of"]


def execute(store: Store, payload: Command) -> Outcome:
    """Parses ``payload`` as the contract's command and executes it on ``store``."""
    return store.ledger.execute(parse_command(payload))


def run(store: Store, **fields: Any) -> Outcome:
    """Executes the command given as keyword fields (``type=..., id=..., ...``)."""
    return execute(store, fields)


def execute_all(store: Store, payloads: Iterable[Command]) -> list[Outcome]:
    """Executes each payload in turn, one command per transaction."""
    return [execute(store, payload) for payload in payloads]


def report(store: Store, year: str = YEAR) -> dict[str, Any]:
    """The quarterly return of ``year`` as JSON would print it, after catching up."""
    ProjectionRunner(store.ledger, store.read_models).catch_up()
    document: dict[str, Any] = read_return(store.read_models, year).document()
    return document


def target_of(document: dict[str, Any], code: str) -> dict[str, Any]:
    """The line of the return for the target ``code``."""
    found: dict[str, Any] = next(t for t in document["targets"] if t["code"] == code)
    return found


def event_count(store: Store) -> int:
    """Stored events (PostgreSQL's positions can have gaps, so not the highest position)."""
    return len(store.ledger.recorder.select_notifications(1, 10**7))
