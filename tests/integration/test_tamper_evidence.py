"""The hash chain names the first altered, deleted, inserted or reordered event."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from application import audit
from domain.errors import Conflict
from infra.store import Store, open_store
from tests.builders import close, define, engagement, figure
from tests.integration.helpers import YEAR, event_count, execute_all
from tests.integration.tampering import StoredRows


def _a_year(store: Store) -> None:
    engagements = [
        engagement(f"2016-05-0{n + 1}", council="Cornwall Council", actor=f"team{n}")
        for n in range(6)
    ]
    execute_all(store, [define(), *engagements, close("Q1"), figure("Q2", 4)])


def _verify(store_url: str) -> audit.Verification:
    store = open_store(store_url)
    try:
        return audit.verify(store.chain, store.ledger.mapper)
    finally:
        store.close()


def test_an_untouched_store_verifies(store: Store, store_url: str) -> None:
    _a_year(store)
    result = _verify(store_url)
    assert result.ok, result.problem
    assert result.events == event_count(store)
    assert len(result.head) == 64


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda rows: rows.change_one_byte(5), ("event 5", "altered")),
        (lambda rows: rows.delete(6), ("event 6", "deleted")),
        (lambda rows: rows.swap(4, 7), ("event 4", "reordered")),
    ],
    ids=["changed-byte", "deleted-row", "swapped-rows"],
)
def test_tampering_is_named(
    store: Store, store_url: str, tamper: object, expected: tuple[str, str]
) -> None:
    _a_year(store)
    store.close()
    tamper(StoredRows(store_url))  # type: ignore[operator]
    result = _verify(store_url)
    assert not result.ok
    assert result.problem is not None
    for words in expected:
        assert words in result.problem


def test_each_close_seals_the_chain_and_a_published_seal_is_proved(
    store: Store, store_url: str
) -> None:
    _a_year(store)
    recorder = store.chain
    [seal] = audit.seals(recorder, store.ledger.mapper)
    assert (seal.year, seal.quarter) == (YEAR, "Q1")
    proof = audit.verify_seal(recorder, store.ledger.mapper, seal.digest)
    assert proof.ok
    assert proof.sealed_position == seal.sealed_position
    store.close()
    StoredRows(store_url).change_one_byte(3)
    reopened = open_store(store_url)
    try:
        assert not audit.verify_seal(reopened.chain, reopened.ledger.mapper, seal.digest).ok
    finally:
        reopened.close()


# SQLite keeps whatever type a value is given. Each edit gives one column of event 5 another
# type than the event was written with, some with the very same content.
RETYPED = {
    "state-as-text": "state = CAST(state AS TEXT)",
    "state-edited-as-text": "state = replace(state, '\"', '''')",
    "state-null": "state = NULL",
    "state-integer": "state = 7",
    "topic-as-blob": "topic = CAST(topic AS BLOB)",
    "topic-null": "topic = NULL",
    "version-as-text": "originator_version = 'v' || originator_version",
    "version-real": "originator_version = originator_version + 0.5",
    "id-as-blob": "originator_id = CAST(originator_id AS BLOB)",
    "id-integer": "originator_id = 12",
    "id-upper-case": "originator_id = upper(originator_id)",
    "id-with-dashes": "originator_id = substr(originator_id, 1, 8) || '-' || "
    "substr(originator_id, 9, 4) || '-' || substr(originator_id, 13, 4) || '-' || "
    "substr(originator_id, 17, 4) || '-' || substr(originator_id, 21)",
}


@pytest.mark.parametrize("edit", RETYPED.values(), ids=list(RETYPED))
def test_a_sqlite_column_given_another_type_is_named_by_verify_and_export(
    tmp_path: Path, edit: str
) -> None:
    from application.event_export import export_lines

    url = f"sqlite:///{tmp_path / 'quarterly.db'}"
    store = open_store(url)
    _a_year(store)
    store.close()
    with sqlite3.connect(tmp_path / "quarterly.db") as connection:
        connection.execute(f"UPDATE stored_events SET {edit} WHERE rowid = 5")
    result = _verify(url)
    assert not result.ok
    assert result.position == 5, result.problem
    assert result.problem is not None
    assert "event 5" in result.problem
    store = open_store(url)
    try:
        with pytest.raises(Conflict, match=r"event 5 .*cannot be exported: it was altered"):
            list(export_lines(store.chain))
    finally:
        store.close()
