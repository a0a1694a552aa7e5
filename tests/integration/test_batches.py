"""Bulk imports store many commands per transaction with the same semantics as one by one."""

from __future__ import annotations

from application.commands import parse_command
from application.ledger import Outcome
from domain.errors import CommandConflict, Refused, UnknownReference
from infra.store import Store
from tests.integration.helpers import YEAR, event_count, execute, report, target_of

DEFINE = {
    "type": "define_target",
    "id": "d",
    "year": YEAR,
    "code": "PW1",
    "title": "PW1",
    "aggregation": "sum",
    "target": 10,
}


def engagement(n: int, **extra: object) -> dict[str, object]:
    return {
        "type": "record_engagement",
        "id": f"e{n}",
        "year": YEAR,
        "code": "PW1",
        "date": "2016-04-10",
        "council": "Kent County Council",
    } | extra


def test_a_batch_keeps_order_refuses_only_bad_commands_and_spots_twins(store: Store) -> None:
    payloads = [
        DEFINE,
        engagement(1),
        engagement(2, code="NOPE"),
        engagement(1),
        engagement(1, count=3),
        {
            "type": "report_figure",
            "id": "f",
            "year": YEAR,
            "code": "PW1",
            "quarter": "Q2",
            "value": 7,
        },
    ]
    outcomes = store.ledger.execute_batch([parse_command(p) for p in payloads])
    assert outcomes[0] is Outcome.STORED
    assert outcomes[1] is Outcome.STORED
    assert isinstance(outcomes[2], UnknownReference)
    assert outcomes[3] is Outcome.ALREADY_STORED
    assert isinstance(outcomes[4], CommandConflict)
    assert outcomes[5] is Outcome.STORED
    assert event_count(store) == 5  # two receipts; the engagement is its own
    pw1 = target_of(report(store), "PW1")
    assert pw1["quarters"] == {"Q1": 1, "Q2": 7, "Q3": None, "Q4": None}


def test_a_batch_that_collides_with_the_store_falls_back_to_one_by_one(store: Store) -> None:
    execute(store, **DEFINE)
    execute(store, **engagement(1))
    before = event_count(store)
    outcomes = store.ledger.execute_batch(
        [parse_command(p) for p in (engagement(1), engagement(2), engagement(3))]
    )
    assert outcomes == [Outcome.ALREADY_STORED, Outcome.STORED, Outcome.STORED]
    assert event_count(store) == before + 2  # two engagements, each its own receipt
    again = store.ledger.execute_batch([parse_command(engagement(2, count=9))])
    assert isinstance(again[0], Refused)
    assert target_of(report(store), "PW1")["quarters"]["Q1"] == 3
