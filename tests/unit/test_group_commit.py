"""Group commit's coordinator (infra/group_commit.py), with a writer standing in for the
store: who shares a group, and who gets which answer."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

from application.insert_conditions import StaleDecision
from infra.group_commit import GroupCommit, PendingInsert


def _insert(
    aggregate: UUID | None = None, version: int = 1, read: dict[UUID, int] | None = None
) -> PendingInsert:
    event = StoredEvent(aggregate or uuid.uuid4(), version, "tests:Happened", b"{}")
    return PendingInsert([event], read or {})


class _Writer:
    """Records each group; the first group waits until released, so others queue."""

    def __init__(self, refuse: Callable[[PendingInsert], BaseException | None]) -> None:
        self.groups: list[list[PendingInsert]] = []
        self.first_started = threading.Event()
        self.release_first = threading.Event()
        self._refuse = refuse
        self._next_id = 0

    def __call__(self, group: list[PendingInsert]) -> list[list[int] | BaseException]:
        self.groups.append(group)
        if len(self.groups) == 1:
            self.first_started.set()
            assert self.release_first.wait(10)
        outcomes: list[list[int] | BaseException] = []
        for pending in group:
            refusal = self._refuse(pending)
            if refusal is not None:
                outcomes.append(refusal)
                continue
            self._next_id += 1
            outcomes.append([self._next_id])
        return outcomes


def _run_queued(
    commit: GroupCommit, writer: _Writer, first: PendingInsert, queued: list[PendingInsert]
) -> dict[int, list[int] | BaseException]:
    """``first`` is written alone while ``queued`` arrive; then all are let through."""
    answers: dict[int, list[int] | BaseException] = {}

    def insert(number: int, pending: PendingInsert) -> None:
        try:
            answers[number] = commit.insert(pending)
        except (StaleDecision, IntegrityError, OperationalError) as error:
            answers[number] = error

    threads = [threading.Thread(target=insert, args=(0, first))]
    threads[0].start()
    assert writer.first_started.wait(10)
    for number, pending in enumerate(queued, start=1):
        threads.append(threading.Thread(target=insert, args=(number, pending)))
        threads[-1].start()
        while _waiting(commit) < number:  # queued in this order
            time.sleep(0.001)
    writer.release_first.set()
    for thread in threads:
        thread.join(10)
    return answers


def _waiting(commit: GroupCommit) -> int:
    with commit._changed:
        return len(commit._queue)


def test_inserts_that_arrive_while_a_group_is_written_form_the_next_group() -> None:
    writer = _Writer(lambda _: None)
    commit = GroupCommit(writer)
    answers = _run_queued(commit, writer, _insert(), [_insert() for _ in range(5)])
    assert [len(group) for group in writer.groups] == [1, 5]
    ids = [answer for answer in answers.values() if isinstance(answer, list)]
    assert sorted(n for found in ids for n in found) == [1, 2, 3, 4, 5, 6]
    assert (commit.groups, commit.inserts) == (2, 6)


def test_inserts_touching_one_aggregate_never_share_a_group() -> None:
    shared = uuid.uuid4()
    writer = _Writer(lambda _: None)
    commit = GroupCommit(writer)
    writes_shared = _insert(shared, 2)
    reads_shared = _insert(read={shared: 1})
    also_reads_shared = _insert(read={shared: 1})
    other = _insert()
    _run_queued(commit, writer, _insert(), [writes_shared, reads_shared, also_reads_shared, other])
    # The writer of `shared` goes first; both readers wait for the next group (two readers
    # of one aggregate may share one); the unrelated insert joins the first group it can.
    assert [set(map(id, group)) for group in writer.groups[1:]] == [
        {id(writes_shared), id(other)},
        {id(reads_shared), id(also_reads_shared)},
    ]


def test_a_refused_insert_is_refused_alone() -> None:
    stale = _insert()
    taken = _insert()

    def refuse(pending: PendingInsert) -> BaseException | None:
        if pending is stale:
            return StaleDecision("moved on")
        if pending is taken:
            return IntegrityError("taken")
        return None

    writer = _Writer(refuse)
    answers = _run_queued(GroupCommit(writer), writer, _insert(), [_insert(), stale, taken])
    assert isinstance(answers[2], StaleDecision)
    assert isinstance(answers[3], IntegrityError)
    assert not isinstance(answers[3], StaleDecision)
    assert isinstance(answers[0], list)
    assert isinstance(answers[1], list)


def test_a_group_that_fails_fails_every_member_and_the_next_group_goes_on() -> None:
    calls: list[int] = []

    def write(group: list[PendingInsert]) -> list[list[int] | BaseException]:
        calls.append(len(group))
        if len(calls) == 1:
            raise OperationalError("the connection was lost")
        return [[n] for n, _ in enumerate(group)]

    commit = GroupCommit(write)
    with pytest.raises(OperationalError, match="connection was lost"):
        commit.insert(_insert())
    assert commit.insert(_insert()) == [0]
    assert (commit.groups, commit.inserts) == (1, 1)


def test_the_oldest_insert_is_always_taken_even_when_larger_than_the_limit() -> None:
    writer = _Writer(lambda _: None)
    commit = GroupCommit(writer, max_events=2)
    big = PendingInsert([StoredEvent(uuid.uuid4(), v, "tests:Happened", b"{}") for v in (1, 2, 3)])
    answers = _run_queued(commit, writer, _insert(), [big, _insert(), _insert(), _insert()])
    assert [len(group) for group in writer.groups] == [1, 1, 2, 1]
    assert all(isinstance(answer, list) for answer in answers.values())


def test_a_stalled_group_does_not_hold_up_the_next_one() -> None:
    writer = _Writer(lambda _: None)
    commit = GroupCommit(writer, stall_seconds=0.2)
    stuck = _insert()
    answers: dict[str, list[int] | BaseException] = {}

    def insert(name: str, pending: PendingInsert) -> None:
        answers[name] = commit.insert(pending)

    first = threading.Thread(target=insert, args=("stuck", stuck))
    first.start()
    assert writer.first_started.wait(10)  # the first group now hangs in its writer
    later = [threading.Thread(target=insert, args=(f"later{n}", _insert())) for n in range(3)]
    for thread in later:
        thread.start()
    for thread in later:
        thread.join(5)
    # Written beside the stalled group, once it counted as stalled; it is still waiting.
    assert sorted(answers) == ["later0", "later1", "later2"]
    assert first.is_alive()
    writer.release_first.set()
    first.join(5)
    assert isinstance(answers["stuck"], list)


def test_a_writer_that_answers_too_few_inserts_fails_each_and_writes_no_empty_group() -> None:
    calls: list[int] = []

    def write(group: list[PendingInsert]) -> list[list[int] | BaseException]:
        calls.append(len(group))
        return [[1]] * (len(group) - 1)

    writer_ready = threading.Event()
    release = threading.Event()

    def slow_first(group: list[PendingInsert]) -> list[list[int] | BaseException]:
        if not calls:
            writer_ready.set()
            assert release.wait(10)
        return write(group)

    commit = GroupCommit(slow_first)
    errors: list[BaseException] = []

    def insert() -> None:
        try:
            commit.insert(_insert())
        except RuntimeError as error:
            errors.append(error)

    threads = [threading.Thread(target=insert) for _ in range(4)]
    threads[0].start()
    assert writer_ready.wait(10)
    for thread in threads[1:]:
        thread.start()
    while _waiting(commit) < 3:
        time.sleep(0.001)
    release.set()
    for thread in threads:
        thread.join(5)
    assert not any(thread.is_alive() for thread in threads)
    assert len(errors) == 4
    assert all("answered" in str(error) for error in errors)
    assert calls == [1, 3]  # no empty group was ever written
