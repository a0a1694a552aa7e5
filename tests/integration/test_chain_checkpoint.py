"""The verification page's check of the hash chain from the last good check on, on both
stores: the same answer as a whole recomputation, and every problem after the checkpoint
found; one before it is found by the whole check, which the next page then shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from application import audit
from application.chain_checkpoint import ChainCheck, Checkpoint, check_chain
from infra.store import Store, open_store
from infra.verification_checkpoints import StoredCheckpoints
from tests.builders import close, define, engagement, figure
from tests.integration.helpers import execute_all
from tests.integration.tampering import StoredRows


def _engagements(start: int, count: int, month: str = "2016-05") -> list[dict[str, object]]:
    return [
        engagement(f"{month}-{n % 28 + 1:02d}", council="Cornwall Council", actor=f"team{n}")
        | {"id": f"checkpoint-e{n}"}
        for n in range(start, start + count)
    ]


@pytest.fixture
def opened(store_url: str) -> Iterator[Store]:
    """A second opening of the store, as a page in another process would have."""
    store = open_store(store_url)
    try:
        yield store
    finally:
        store.close()


def _positions(store: Store) -> list[int]:
    """Stored positions (PostgreSQL's can have gaps)."""
    return [int(n.id) for n in store.ledger.recorder.select_notifications(1, 10**7)]


def _check(store: Store, *, whole: bool = False) -> ChainCheck:
    kept = StoredCheckpoints(store.read_models)
    return check_chain(store.chain, store.ledger.mapper, kept, datetime.now(UTC), whole=whole)


def test_a_check_from_the_checkpoint_answers_as_the_whole_chain_does(
    store: Store, opened: Store
) -> None:
    execute_all(store, [define(), *_engagements(0, 5), close("Q1")])
    first = _check(opened)
    assert first.result.ok
    assert first.recomputed_from == 1
    assert first.checkpoint is not None
    assert first.checkpoint.position == _positions(store)[-1]
    assert [s.quarter for s in first.seals] == ["Q1"]

    execute_all(store, [*_engagements(5, 4, "2016-08"), figure("Q2", 4), close("Q2")])
    second = _check(opened)
    whole = audit.verify(store.chain, store.ledger.mapper)
    assert second.result.ok, second.result.problem
    assert second.recomputed_from == first.checkpoint.position + 1
    assert (second.result.events, second.result.head) == (whole.events, whole.head)
    assert [s.quarter for s in second.seals] == ["Q1", "Q2"]
    assert second.checkpoint is not None
    assert second.checkpoint.whole_chain_at == first.checkpoint.whole_chain_at

    nothing_new = _check(opened)
    assert nothing_new.result.ok
    assert nothing_new.recomputed_from == _positions(store)[-1] + 1
    assert (nothing_new.result.events, nothing_new.result.head) == (whole.events, whole.head)


def test_an_event_altered_after_the_checkpoint_is_named_and_stays_named(
    store: Store, opened: Store, store_url: str
) -> None:
    execute_all(store, [define(), *_engagements(0, 3)])
    assert _check(opened).result.ok
    reached = _positions(store)[-1]
    execute_all(store, _engagements(3, 3))
    altered = [p for p in _positions(store) if p > reached][1]
    StoredRows(store_url).change_one_byte(altered)
    found = _check(opened)
    assert not found.result.ok
    assert found.result.position == altered
    assert found.checkpoint is None
    suspect = StoredCheckpoints(opened.read_models).load()
    assert suspect is not None
    assert suspect.suspect
    assert suspect.position == reached  # kept for its claim, not moved
    again = _check(opened)
    assert again.recomputed_from == 1
    assert again.result.position == altered


def test_an_event_altered_before_the_checkpoint_is_found_by_the_whole_check_and_stays_found(
    store: Store, opened: Store, store_url: str
) -> None:
    execute_all(store, [define(), *_engagements(0, 4)])
    assert _check(opened).result.ok
    altered = _positions(store)[2]
    StoredRows(store_url).change_one_byte(altered)
    # Only the events since the checkpoint are recomputed: this one lies before it.
    assert _check(opened).result.ok
    whole = _check(opened, whole=True)  # `quarterly verify`, the worker's daily check
    assert not whole.result.ok
    assert whole.result.position == altered
    page = _check(opened)
    assert page.recomputed_from == 1
    assert not page.result.ok
    assert page.result.position == altered


def test_a_rewritten_chain_at_the_checkpoint_is_named(
    store: Store, opened: Store, store_url: str
) -> None:
    execute_all(store, [define(), *_engagements(0, 4)])
    reached = _check(opened).checkpoint
    assert reached is not None
    rows = StoredRows(store_url)
    rows.replace_in_event(_positions(store)[1], b'"actor":', b'"actox":')
    rows.rewrite_chain()  # covers the edit: every link from event 2 on is new
    found = _check(opened)
    assert not found.result.ok
    assert found.result.problem is not None
    assert f"event {reached.position}, checked at" in found.result.problem
    assert "no longer has the chain link it had then" in found.result.problem


def test_a_removed_tail_past_the_checkpoint_is_named(
    store: Store, opened: Store, store_url: str
) -> None:
    execute_all(store, [define(), *_engagements(0, 4)])
    reached = _check(opened).checkpoint
    assert reached is not None
    StoredRows(store_url).truncate_from(_positions(store)[-2])
    found = _check(opened)
    assert not found.result.ok
    assert found.result.problem is not None
    assert "is gone or no longer has the chain link" in found.result.problem


def test_the_kept_checkpoint_only_moves_forward(store: Store) -> None:
    kept = StoredCheckpoints(store.read_models)
    later = Checkpoint(
        position=9, digest="b" * 64, events=9, seals=[], checked_at="t2", whole_chain_at="t1"
    )
    kept.save(later)
    kept.save(later.model_copy(update={"position": 4, "digest": "a" * 64, "events": 4}))
    assert kept.load() == later


def test_a_removed_tail_stays_named_by_every_check_whole_or_not(
    store: Store, opened: Store, store_url: str
) -> None:
    """A store cannot prove its own tail, but the checkpoint remembers it: the events the
    page once checked are gone, and every check after says so, `quarterly verify` too."""
    execute_all(store, [define(), *_engagements(0, 4)])
    reached = _check(opened).checkpoint
    assert reached is not None
    StoredRows(store_url).truncate_from(_positions(store)[-2])
    for whole in (False, False, True, False):
        found = _check(opened, whole=whole)
        assert not found.result.ok, whole
        assert found.result.position == reached.position
    assert audit.verify(store.chain, store.ledger.mapper).ok  # the chain alone cannot tell


def test_a_problem_undone_is_cleared_by_the_next_whole_check(
    store: Store, opened: Store, store_url: str
) -> None:
    execute_all(store, [define(), *_engagements(0, 4)])
    assert _check(opened).result.ok
    execute_all(store, _engagements(4, 2))
    rows = StoredRows(store_url)
    altered = _positions(store)[-1]  # after the checkpoint
    rows.replace_in_event(altered, b'"actor":', b'"actox":')
    assert not _check(opened).result.ok
    rows.replace_in_event(altered, b'"actox":', b'"actor":')  # the database restored
    whole = _check(opened)
    assert whole.result.ok
    assert whole.recomputed_from == 1  # suspect: a whole check
    execute_all(store, _engagements(6, 1))
    after = _check(opened)
    assert after.result.ok
    assert after.recomputed_from > 1  # trusted again: from the checkpoint


def test_the_apis_verify_names_a_removed_tail_as_quarterly_verify_does(
    store: Store, store_url: str
) -> None:
    from fastapi.testclient import TestClient

    from application.access import issue_token
    from domain.access import Role
    from infra.http.app import create_app
    from infra.settings import Settings

    _, token = issue_token(store.ledger, Role.AUDITOR, name="checkpoint-auditor")
    execute_all(store, [define(), *_engagements(0, 4)])  # the tail removed: not the token
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(Settings(store=store_url))) as api:
        first = api.get("/api/v1/verify", headers=headers).json()
        assert first["ok"] is True
        StoredRows(store_url).truncate_from(_positions(store)[-2])
        for _ in range(2):
            again = api.get("/api/v1/verify", headers=headers).json()
            assert again["ok"] is False
            assert "is gone or no longer has the chain link" in again["problem"]
