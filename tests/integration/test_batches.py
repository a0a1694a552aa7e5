"""Bulk imports store many commands per transaction with the same semantics as one by one,
on both stores, whose recorders find the receipts of stored commands in bulk. (Batches
against one by one over a whole year, and dry runs: tests/unit/test_ledger_batches.py.)"""

from __future__ import annotations

from application.commands import parse_command
from application.ledger import Outcome
from domain.errors import CommandConflict, Refused, UnknownReference
from infra.store import Store
from tests.builders import Command, close, define, figure
from tests.builders import engagement as kent_engagement
from tests.integration.helpers import event_count, execute_all, report, target_of

DEFINE = define(target=10)


def engagement(n: int, **extra: object) -> Command:
    return kent_engagement("2016-04-10", id=f"e{n}") | extra


def test_a_batch_keeps_order_refuses_only_bad_commands_and_spots_twins(store: Store) -> None:
    payloads = [
        DEFINE,
        engagement(1),
        engagement(2, code="NOPE"),
        engagement(1),
        engagement(1, count=3),
        figure("Q2", 7),
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
    execute_all(store, [DEFINE, engagement(1)])
    before = event_count(store)
    outcomes = store.ledger.execute_batch(
        [parse_command(p) for p in (engagement(1), engagement(2), engagement(3))]
    )
    assert outcomes == [Outcome.ALREADY_STORED, Outcome.STORED, Outcome.STORED]
    assert event_count(store) == before + 2  # two engagements, each its own receipt
    again = store.ledger.execute_batch([parse_command(engagement(2, count=9))])
    assert isinstance(again[0], Refused)
    assert target_of(report(store), "PW1")["quarters"]["Q1"] == 3


def test_a_batch_recognises_commands_stored_before_their_quarter_closed(store: Store) -> None:
    early = [engagement(1), figure("Q1", 4, id="f1")]
    execute_all(store, [DEFINE, *early, close("Q1")])
    before = event_count(store)
    outcomes = store.ledger.execute_batch([parse_command(p) for p in early])
    assert outcomes == [Outcome.ALREADY_STORED, Outcome.ALREADY_STORED]
    assert event_count(store) == before


def _outcomes(results: list[Outcome | Refused]) -> tuple[int, int, int]:
    stored = sum(1 for r in results if r is Outcome.STORED)
    already = sum(1 for r in results if r is Outcome.ALREADY_STORED)
    return stored, already, sum(1 for r in results if isinstance(r, Refused))


def test_a_rerun_after_a_partial_import_recognises_stored_commands_in_bulk(
    store: Store, store_url: str
) -> None:
    from infra.store import open_store

    commands = [parse_command(DEFINE), *(parse_command(engagement(n)) for n in range(40))]
    assert _outcomes(store.ledger.execute_batch(commands[:25])) == (25, 0, 0)
    changed = parse_command(engagement(3, count=2))  # id e3 with other content
    rerun = [*commands, changed]
    assert _outcomes(store.ledger.execute_batch(rerun)) == (16, 25, 1)
    before = event_count(store)
    # A dry run of the same file gives the counts a real run would give now.
    dry = open_store(store_url, dry_run=True)
    try:
        assert _outcomes(dry.ledger.execute_batch(rerun)) == (0, 41, 1)
        assert event_count(dry) == before
    finally:
        dry.close()


def test_batches_and_single_commands_on_one_ledger_from_several_threads(store: Store) -> None:
    """A batch's decided-but-not-stored aggregates belong to its own thread: two batches
    and single commands running at once on one ledger each decide on the store alone."""
    from concurrent.futures import ThreadPoolExecutor

    codes = ("PW1", "PW2", "PW3", "PW4")
    execute_all(store, [define(code=code, target=10) for code in codes])

    def batch(code: str) -> list[Outcome | Refused]:
        commands = [engagement(n, id=f"{code}-e{n}", code=code) for n in range(30)]
        return store.ledger.execute_batch([parse_command(c) for c in commands])

    def one_by_one(code: str) -> list[Outcome | Refused]:
        return [
            store.ledger.execute(parse_command(engagement(n, id=f"{code}-e{n}", code=code)))
            for n in range(30)
        ]

    with ThreadPoolExecutor(4) as pool:
        batches = [pool.submit(batch, "PW1"), pool.submit(batch, "PW2")]
        singles = [pool.submit(one_by_one, "PW3"), pool.submit(one_by_one, "PW4")]
        outcomes = [future.result() for future in (*batches, *singles)]
    assert all(result == [Outcome.STORED] * 30 for result in outcomes), outcomes
    quarters = report(store)
    for code in codes:
        assert target_of(quarters, code)["quarters"]["Q1"] == 30
