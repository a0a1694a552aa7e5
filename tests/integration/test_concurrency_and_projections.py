"""Concurrent writers, retries, dry runs and exactly-once projections, on both stores."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from application.commands import parse_command
from application.ledger import Outcome
from infra.store import Store, open_store
from projections.quarterly_return import read_return
from projections.runner import ProjectionRunner
from tests.integration.helpers import YEAR, define, event_count, execute, report, target_of


def _in_own_store(store_url: str, payloads: list[dict[str, Any]]) -> list[Outcome]:
    store = open_store(store_url)
    try:
        return [store.ledger.execute(parse_command(p)) for p in payloads]
    finally:
        store.close()


def test_concurrent_writers_to_one_target_lose_nothing(store_url: str) -> None:
    setup = open_store(store_url)
    define(setup)
    setup.close()
    figures = [
        [
            {
                "type": "report_figure",
                "id": f"w{w}-{n}",
                "year": YEAR,
                "code": "PW1",
                "quarter": "Q1",
                "value": w * 100 + n,
            }
            for n in range(10)
        ]
        for w in range(4)
    ]
    engagements = [
        [
            {
                "type": "record_engagement",
                "id": f"e{w}-{n}",
                "year": YEAR,
                "code": "PW1",
                "date": "2016-08-01",
                "council": "Kent County Council",
            }
            for n in range(10)
        ]
        for w in range(4)
    ]
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
    define(setup)
    before = event_count(setup)
    setup.close()
    command = {
        "type": "record_engagement",
        "id": "retry-me",
        "year": YEAR,
        "code": "PW1",
        "date": "2016-08-01",
        "council": "Kent County Council",
    }
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda _: _in_own_store(store_url, [command])[0], range(6)))
    assert outcomes.count(Outcome.STORED) == 1
    assert outcomes.count(Outcome.ALREADY_STORED) == 5
    check = open_store(store_url)
    try:
        assert event_count(check) == before + 1  # an engagement is its own receipt
    finally:
        check.close()


def test_a_dry_run_stores_nothing_but_sees_its_own_earlier_lines(store_url: str) -> None:
    dry = open_store(store_url, dry_run=True)
    try:
        define(dry)
        execute(dry, type="report_figure", id="f", year=YEAR, code="PW1", quarter="Q1", value=3)
        assert event_count(dry) == 0
    finally:
        dry.close()


def test_rebuild_gives_the_same_read_model_as_catching_up(store: Store) -> None:
    define(store)
    define(store, "PW2", aggregation="latest", target=9)
    execute(store, type="report_figure", id="f", year=YEAR, code="PW2", quarter="Q1", value=5)
    execute(
        store,
        type="record_engagement",
        id="e",
        year=YEAR,
        code="PW1",
        date="2016-05-05",
        council="Cornwall Council",
    )
    execute(store, type="close_quarter", id="close", year=YEAR, quarter="Q1")
    execute(
        store,
        type="report_figure",
        id="f2",
        year=YEAR,
        code="PW2",
        quarter="Q1",
        value=6,
        restatement_reason="corrected",
    )
    incremental = report(store)
    runner = ProjectionRunner(store.ledger, store.read_models)
    assert runner.rebuild() == event_count(store)
    assert read_return(store.read_models, YEAR).document() == incremental


def test_concurrent_runners_apply_each_event_once(store_url: str) -> None:
    setup = open_store(store_url)
    define(setup)
    for n in range(60):
        execute(
            setup,
            type="record_engagement",
            id=f"e{n}",
            year=YEAR,
            code="PW1",
            date="2016-06-01",
            council="Cornwall Council",
        )
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
