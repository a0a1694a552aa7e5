"""A long catch-up (a rebuild, or following a bulk import) first refreshes PostgreSQL's
statistics of the events table: with stale ones, the planner read each batch by sorting
every later event on disk (projections/runner.py)."""

from __future__ import annotations

import psycopg
import pytest

from infra.store import Store
from projections.runner import LONG_CATCH_UP_BATCHES, ProjectionRunner
from tests.builders import define, engagement
from tests.conftest import PG_DSN
from tests.integration.helpers import event_count, execute_all


def _estimated_rows(store: Store) -> float:
    schema = store.location.schema
    with psycopg.connect(PG_DSN) as connection:
        found = connection.execute(
            "SELECT c.reltuples FROM pg_class AS c JOIN pg_namespace AS n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = 'quarterly_events'",
            (schema,),
        ).fetchone()
    assert found is not None
    return float(found[0])


def test_a_long_catch_up_refreshes_the_statistics_and_a_short_one_does_not(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = 2
    execute_all(store, [define(), *[engagement(id=f"e{n}") for n in range(batch * 12)]])
    runner = ProjectionRunner(store.ledger, store.read_models, batch_size=batch)
    refreshes: list[int] = []
    refresh = getattr(store.ledger.recorder, "refresh_statistics", None)
    if refresh is not None:  # PostgreSQL; SQLite's planner keeps no such statistics

        def counted() -> None:
            refreshes.append(1)
            refresh()

        monkeypatch.setattr(store.ledger.recorder, "refresh_statistics", counted)
    assert runner.catch_up() == event_count(store) > LONG_CATCH_UP_BATCHES * batch
    execute_all(store, [engagement(id="one more")])
    assert runner.catch_up() == event_count(store)  # one event behind: no refresh
    if refresh is not None:
        assert refreshes == [1]
        assert _estimated_rows(store) == event_count(store) - 1  # as analysed, before the last
