"""Concurrent writers, retries and exactly-once projections, on both stores. (Dry runs:
tests/unit/test_ledger_batches.py.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from application.ledger import Outcome
from infra.store import Store, open_store
from projections.quarterly_return import read_return
from projections.runner import ProjectionRunner
from tests.builders import Command, close, define, engagement, figure
from tests.integration.helpers import YEAR, event_count, execute, execute_all, report, target_of


def _in_own_store(store_url: str, payloads: list[Command]) -> list[Outcome]:
    store = open_store(store_url)
    try:
        return execute_all(store, payloads)
    finally:
        store.close()


def test_concurrent_writers_to_one_target_lose_nothing(store_url: str) -> None:
    setup = open_store(store_url)
    execute(setup, define())
    setup.close()
    figures = [[figure("Q1", w * 100 + n) for n in range(10)] for w in range(4)]
    engagements = [[engagement("2016-08-01") for _ in range(10)] for _ in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda b: _in_own_store(store_url, b), figures + engagements))
    assert all(o is Outcome.STORED for batch in outcomes for o in batch)
    check = open_store(store_url)
    try:
        pw1 = target_of(report(check), "PW1")
        assert pw1["quarters"]["Q2"] == 40
        assert pw1["quarters"]["Q1"] is not None
    finally:
        check.close()


def test_the_same_command_from_many_writers_at_once_stores_once(store_url: str) -> None:
    setup = open_store(store_url)
    execute(setup, define())
    before = event_count(setup)
    setup.close()
    command = engagement("2016-08-01", id="retry-me")
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda _: _in_own_store(store_url, [command])[0], range(6)))
    assert outcomes.count(Outcome.STORED) == 1
    assert outcomes.count(Outcome.ALREADY_STORED) == 5
    check = open_store(store_url)
    try:
        assert event_count(check) == before + 1  # an engagement is its own receipt
    finally:
        check.close()


def test_rebuild_gives_the_same_read_model_as_catching_up(store: Store) -> None:
    execute_all(
        store,
        [
            define(),
            define("PW2", aggregation="latest", target=9),
            figure("Q1", 5, code="PW2"),
            engagement("2016-05-05", council="Cornwall Council"),
            close("Q1"),
            figure("Q1", 6, code="PW2", restatement_reason="corrected"),
        ],
    )
    incremental = report(store)
    runner = ProjectionRunner(store.ledger, store.read_models)
    assert runner.rebuild() == event_count(store)
    assert read_return(store.read_models, YEAR).document() == incremental


def test_concurrent_runners_apply_each_event_once(store_url: str) -> None:
    setup = open_store(store_url)
    execute(setup, define())
    execute_all(setup, [engagement("2016-06-01", council="Cornwall Council") for _ in range(60)])
    setup.close()

    def catch_up(_: int) -> int:
        store = open_store(store_url)
        try:
            return ProjectionRunner(store.ledger, store.read_models).catch_up(batch_size=7)
        finally:
            store.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        positions = list(pool.map(catch_up, range(4)))
    check = open_store(store_url)
    try:
        assert set(positions) == {event_count(check)}
        assert target_of(report(check), "PW1")["quarters"]["Q1"] == 60
    finally:
        check.close()
