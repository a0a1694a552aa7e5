from __future__ import annotations

from typing import Any

from application.commands import parse_command
from application.ledger import Outcome
from infra.store import Store
from projections.quarterly_return import read_return
from projections.runner import ProjectionRunner

YEAR = "2016/17"


def execute(store: Store, **payload: Any) -> Outcome:
    return store.ledger.execute(parse_command(payload))


def define(
    store: Store,
    code: str = "PW1",
    aggregation: str = "sum",
    target: float | None = 110,
    **extra: Any,
) -> None:
    execute(
        store,
        type="define_target",
        id=f"define-{code}",
        year=YEAR,
        code=code,
        title=f"Target {code}",
        theme="Peer support",
        aggregation=aggregation,
        target=target,
        **extra,
    )


def report(store: Store, year: str = YEAR) -> dict[str, Any]:
    ProjectionRunner(store.ledger, store.read_models).catch_up()
    document: dict[str, Any] = read_return(store.read_models, year).document()
    return document


def target_of(document: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in document["targets"] if t["code"] == code)
    return found


def event_count(store: Store) -> int:
    """Stored events (PostgreSQL's positions can have gaps, so not the highest position)."""
    return len(store.ledger.recorder.select_notifications(1, 10**7))
