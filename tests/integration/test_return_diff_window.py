"""What changed between two times, on both stores: the events are those recorded in the
window, whole for the API and the CLI, the latest few per target for the page."""

from __future__ import annotations

from datetime import UTC, datetime

from infra.store import Store
from projections.return_diff import diff_returns
from projections.runner import ProjectionRunner
from tests.builders import define, engagement
from tests.integration.helpers import YEAR, execute_all


def test_a_window_holds_exactly_the_events_recorded_in_it(store: Store) -> None:
    execute_all(store, [define(), *[engagement(f"2016-05-0{n}") for n in range(1, 4)]])
    ProjectionRunner(store.ledger, store.read_models).catch_up()
    start = datetime.now(UTC)
    execute_all(store, [engagement(f"2016-06-0{n}") for n in range(1, 8)])
    ProjectionRunner(store.ledger, store.read_models).catch_up()
    end = datetime.now(UTC)
    execute_all(store, [engagement("2016-07-01")])
    ProjectionRunner(store.ledger, store.read_models).catch_up()

    whole = diff_returns(store.read_models, YEAR, start, end)
    (target,) = whole.targets
    dates = [event.detail("date") for event in target.events]
    assert dates == [f"2016-06-0{n}" for n in range(1, 8)]
    assert not target.more_events

    shown = diff_returns(store.read_models, YEAR, start, end, events_per_target=3)
    (latest,) = shown.targets
    assert [event.detail("date") for event in latest.events] == dates[-3:]
    assert latest.more_events
    assert latest.changes == target.changes
    assert "more_events" not in shown.document()["targets"][0]  # the contract's JSON as before

    exactly = diff_returns(store.read_models, YEAR, start, end, events_per_target=7)
    assert not exactly.targets[0].more_events
    assert len(exactly.targets[0].events) == 7
