"""Batches (how imports store) and dry runs (``import --dry-run``) decide every command
exactly as one command at a time would, on the in-memory store, over the bench's sample year
with awkward lines mixed in."""

from __future__ import annotations

from typing import Any

from application.commands import parse_command
from application.ledger import Outcome, ReturnsLedger
from bench.workload import engagement, year_commands
from domain.errors import Refused
from tests.builders import Command, close, define, figure
from tests.builders import engagement as kent_engagement
from tests.unit.ledgers import (
    dry_run_over,
    event_count,
    execute,
    execute_batch,
    in_memory,
    one_by_one,
)


def _a_year_with_awkward_lines() -> list[Command]:
    """The sample year (Q1 to Q3 close as it goes), then: a replay and the same id with other
    content (of Q4 engagements stored earlier), an unknown target, late writes to a closed
    quarter with and without a restatement reason, and twins inside the same stretch."""
    year = list(year_commands(120, prefix="u"))
    [replayed] = [p for p in year if p["id"] == "u-e95"]
    [changed] = [p | {"count": 2} for p in year if p["id"] == "u-e100"]
    return [
        *year,
        replayed,
        changed,
        engagement(1000, prefix="u", code="NOPE"),
        engagement(1001, prefix="u", date="2016-05-15"),  # Q1 closed: refused
        engagement(1002, prefix="u", date="2016-05-15", restatement_reason="late report"),
        engagement(1002, prefix="u", date="2016-05-15", restatement_reason="late report"),
        engagement(1003, prefix="u", date="2017-02-01"),  # Q4 is open
        engagement(1003, prefix="u", date="2017-02-01", count=3),
    ]


def _described(outcomes: list[Outcome | Refused]) -> list[str]:
    return [f"{type(o).__name__}: {o}" if isinstance(o, Refused) else o.value for o in outcomes]


def _stored(ledger: ReturnsLedger) -> list[tuple[Any, ...]]:
    """Every stored event in order, without its recorded time."""
    stored = []
    for notification in ledger.recorder.select_notifications(1, 10**6):
        event = ledger.mapper.to_domain_event(notification)
        fields = {k: v for k, v in vars(event).items() if k != "timestamp"}
        stored.append((notification.topic, notification.originator_version, fields))
    return stored


def _in_batches(ledger: ReturnsLedger, payloads: list[Command], size: int) -> list[Any]:
    outcomes = []
    for start in range(0, len(payloads), size):
        outcomes.extend(execute_batch(ledger, payloads[start : start + size]))
    return outcomes


def test_batches_decide_as_one_command_at_a_time() -> None:
    payloads = _a_year_with_awkward_lines()
    batched, single = in_memory(), in_memory()
    outcomes = _described(_in_batches(batched, payloads, 50))
    assert outcomes == _described(one_by_one(single, payloads))
    assert _stored(batched) == _stored(single)
    year, awkward = outcomes[:-8], outcomes[-8:]
    assert year == ["stored"] * len(year)
    assert [outcome.split(":")[0] for outcome in awkward] == [
        "already_stored",
        "CommandConflict",
        "UnknownReference",
        "QuarterClosed",
        "stored",
        "already_stored",
        "stored",
        "CommandConflict",
    ]
    assert awkward[1] == (
        "CommandConflict: id: command 'u-e100' was already stored with different content"
    )


def test_a_batch_rerun_over_stored_commands_decides_as_one_at_a_time() -> None:
    """An import re-run after a crash: the lines before Q1's close are stored; the batch
    that collides with them falls back to one command at a time, with the same outcomes."""
    payloads = _a_year_with_awkward_lines()
    first_close = next(n for n, p in enumerate(payloads) if p["type"] == "close_quarter")
    batched, single = in_memory(), in_memory()
    for ledger in (batched, single):
        one_by_one(ledger, payloads[:first_close])
    outcomes = _described(_in_batches(batched, payloads, 500))
    assert outcomes == _described(one_by_one(single, payloads))
    assert outcomes[:first_close] == ["already_stored"] * first_close
    assert _stored(batched) == _stored(single)


def _counts(results: list[Outcome | Refused]) -> tuple[int, int, int]:
    stored = sum(1 for r in results if r is Outcome.STORED)
    already = sum(1 for r in results if r is Outcome.ALREADY_STORED)
    return stored, already, sum(1 for r in results if isinstance(r, Refused))


def test_a_dry_run_of_a_year_counts_what_the_real_run_stores_and_stores_nothing() -> None:
    payloads = _a_year_with_awkward_lines()
    ledger = in_memory()
    dry = dry_run_over(ledger)
    predicted = [_counts(dry.execute_batch(batch)) for batch in _parsed(payloads, 100)]
    assert event_count(ledger) == 0
    real = [_counts(ledger.execute_batch(batch)) for batch in _parsed(payloads, 100)]
    assert predicted == real
    assert sum(stored for stored, _, _ in real) > 0


def test_a_dry_run_decides_against_what_is_stored() -> None:
    ledger = in_memory()
    year = list(year_commands(40, prefix="s"))
    first_close = next(n for n, p in enumerate(year) if p["type"] == "close_quarter")
    one_by_one(ledger, year[: first_close + 1])  # Q1, closed
    rest = [*year[first_close + 1 :], engagement(500, prefix="s")]  # the last one: in Q1
    before = event_count(ledger)
    predicted = _described(one_by_one(dry_run_over(ledger), rest))
    assert event_count(ledger) == before
    assert predicted == _described(one_by_one(ledger, rest))
    assert predicted[-1].startswith("QuarterClosed:")


def test_a_dry_run_counts_what_the_real_run_stores() -> None:
    twice = [
        define(target=10),
        kent_engagement("2016-04-10", id="e1"),
        kent_engagement("2016-04-10", id="e1", count=2),  # the same id, other content
    ]
    ledger = in_memory()
    dry = dry_run_over(ledger)
    predicted = [_counts(execute_batch(dry, twice[:2])), _counts(execute_batch(dry, twice[2:]))]
    assert event_count(ledger) == 0
    real = [_counts(execute_batch(ledger, twice[:2])), _counts(execute_batch(ledger, twice[2:]))]
    assert predicted == real == [(2, 0, 0), (0, 0, 1)]


def test_a_dry_run_stores_nothing_but_sees_its_own_earlier_lines() -> None:
    dry = dry_run_over(in_memory())
    execute(dry, define())
    execute(dry, figure("Q1", 3, id="f"))
    assert event_count(dry) == 0


def _parsed(payloads: list[Command], size: int) -> list[list[Any]]:
    commands = [parse_command(p) for p in payloads]
    return [commands[start : start + size] for start in range(0, len(commands), size)]


def test_a_batch_recognises_a_command_stored_before_its_quarter_closed() -> None:
    ledger = in_memory()
    early = kent_engagement("2016-05-15", id="early")
    one_by_one(ledger, [define(), early, close("Q1")])
    assert execute_batch(ledger, [early]) == [Outcome.ALREADY_STORED]


def test_a_dry_run_executes_a_stored_command_as_already_stored() -> None:
    ledger = in_memory()
    stored = kent_engagement("2016-05-15", id="stored")
    one_by_one(ledger, [define(), stored])
    dry = dry_run_over(ledger)
    assert execute(dry, stored) is Outcome.ALREADY_STORED
    fresh = kent_engagement("2016-05-16", id="fresh")
    assert execute(dry, fresh) is Outcome.STORED
    assert execute(dry, fresh) is Outcome.ALREADY_STORED  # decided earlier in this dry run
    assert event_count(dry) == event_count(ledger)
