"""Group commit on both stores (infra/group_commit.py, infra/grouped_recorders.py): threads
sharing one store are stored together, each command answered on its own, nothing lost,
and the hash chain intact."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from application import audit
from application.commands import parse_command
from application.insert_conditions import StaleDecision
from application.ledger import Outcome
from infra.group_commit import PendingInsert
from infra.grouped_recorders import (
    GroupCommittingPostgresApplicationRecorder,
    GroupCommittingSQLiteApplicationRecorder,
)
from infra.store import Store, open_store
from tests.builders import define, engagement, figure
from tests.integration.helpers import event_count, execute, report, target_of

GroupRecorder = (
    GroupCommittingPostgresApplicationRecorder | GroupCommittingSQLiteApplicationRecorder
)


def _recorder(store: Store) -> GroupRecorder:
    recorder = store.ledger.recorder
    assert isinstance(
        recorder,
        GroupCommittingPostgresApplicationRecorder | GroupCommittingSQLiteApplicationRecorder,
    )
    return recorder


def _event(aggregate: uuid.UUID, version: int = 1) -> StoredEvent:
    return StoredEvent(aggregate, version, "tests.group:Happened", b'{"n": 1}')


def _verified(store: Store) -> audit.Verification:
    result = audit.verify(store.chain, store.ledger.mapper)
    assert result.ok, result.problem
    return result


def test_a_group_answers_each_command_on_its_own(store: Store) -> None:
    recorder = _recorder(store)
    moved = uuid.uuid4()
    recorder.insert_events([_event(moved)])
    good = PendingInsert([_event(uuid.uuid4()), _event(uuid.uuid4())])
    stale = PendingInsert([_event(uuid.uuid4())], {moved: 0})  # read `moved` before v1
    taken = PendingInsert([_event(moved)])  # version 1 of `moved` is stored
    taken_and_stale = PendingInsert([_event(moved)], {moved: 0})
    good_after = PendingInsert([_event(uuid.uuid4())], {moved: 1})  # read it as it is

    outcomes = recorder.write_group([good, stale, taken, taken_and_stale, good_after])

    assert isinstance(outcomes[1], StaleDecision)
    assert isinstance(outcomes[2], IntegrityError)
    assert not isinstance(outcomes[2], StaleDecision)  # the ledger looks for its receipt
    assert isinstance(outcomes[3], StaleDecision)  # a read that moved: decide again
    stored = [outcomes[0], outcomes[4]]
    assert all(isinstance(ids, list) for ids in stored)
    assert [len(ids) for ids in stored if isinstance(ids, list)] == [2, 1]
    assert event_count(store) == 1 + 3  # the refused ones stored nothing
    _verified(store)


def test_a_group_continues_the_chain_of_earlier_inserts(store: Store) -> None:
    recorder = _recorder(store)
    for _ in range(3):
        first, second = uuid.uuid4(), uuid.uuid4()
        outcomes = recorder.write_group(
            [PendingInsert([_event(first), _event(first, 2)]), PendingInsert([_event(second)])]
        )
        assert all(isinstance(ids, list) for ids in outcomes)
    assert _verified(store).events == 9


def test_threads_sharing_one_store_are_grouped_and_lose_nothing(store: Store) -> None:
    execute(store, define(target=None))
    before = event_count(store)
    replayed = parse_command(engagement("2016-08-01", id="sent-by-every-thread"))

    def record(thread: int) -> list[Outcome]:
        outcomes = [store.ledger.execute(replayed)]
        for n in range(12):
            payload = (
                figure("Q1", thread * 100 + n, id=f"figure-{thread}-{n}")
                if n % 4 == 0  # every thread reports PW1's Q1 figure: they collide
                else engagement("2016-05-15", id=f"engagement-{thread}-{n}", actor=f"t{thread}")
            )
            outcomes.append(store.ledger.execute(parse_command(payload)))
        return outcomes

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = [o for batch in pool.map(record, range(12)) for o in batch]

    assert outcomes.count(Outcome.ALREADY_STORED) == 11
    assert outcomes.count(Outcome.STORED) == 1 + 12 * 12
    engagements = 1 + 12 * 9
    figures = 12 * 3
    # An engagement is its own receipt; a figure is a receipt and the target's event.
    assert event_count(store) == before + engagements + 2 * figures
    pw1 = target_of(report(store), "PW1")
    assert pw1["quarters"]["Q2"] == 1  # the replayed engagement, once
    assert pw1["quarters"]["Q1"] is not None
    group_commit = _recorder(store).group_commit
    assert group_commit.inserts >= 1 + 12 * 12
    assert group_commit.groups < group_commit.inserts, "no two commands shared a group"
    assert _verified(store).events == event_count(store)


def test_without_group_commit_each_command_is_stored_alone(store_url: str) -> None:
    store = open_store(store_url, group_commit=False)
    try:
        assert not hasattr(store.ledger.recorder, "group_commit")
        execute(store, define())
        execute(store, engagement())
        _verified(store)
    finally:
        store.close()


def test_threads_replaying_one_command_leave_every_connection_usable(store_url: str) -> None:
    """Without group commit a replay collides in the database (a unique violation inside
    the insert's pipeline); the connection it happened on must not fail later inserts
    (it did: 'prepared statement "_pg3_N" does not exist')."""
    store = open_store(store_url, group_commit=False)
    try:
        execute(store, define())
        for round_ in range(20):
            command = parse_command(engagement("2016-08-01", id=f"replayed-{round_}"))
            with ThreadPoolExecutor(max_workers=16) as pool:
                outcomes = list(pool.map(store.ledger.execute, [command] * 16))
            assert sorted(outcomes) == [Outcome.ALREADY_STORED] * 15 + [Outcome.STORED]
        _verified(store)
    finally:
        store.close()


def test_a_command_writing_one_version_twice_is_refused_alone(store: Store) -> None:
    recorder = _recorder(store)
    twice = uuid.uuid4()
    with pytest.raises(IntegrityError):
        recorder.insert_events([_event(twice), _event(twice)])
    assert recorder.group_commit.inserts == 0  # it never joined a group
    recorder.insert_events([_event(uuid.uuid4())])
    assert event_count(store) == 1
    _verified(store)
