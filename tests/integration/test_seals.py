"""Every close is sealed with the chain digest of everything stored before it, also inside
a batch; a removed tail is caught against seals published outside the store."""

from __future__ import annotations

import json
from pathlib import Path

from application import audit
from application.jsonl_import import import_lines
from infra.seal_publication import SealLog, read_published
from infra.store import Store, open_store
from tests.builders import close, define, figure
from tests.integration.helpers import YEAR
from tests.integration.tampering import StoredRows


def _year_with_closes() -> list[str]:
    """A year whose three closes are decided inside one import batch."""
    commands = [define()]
    for number, quarter in enumerate(("Q1", "Q2", "Q3"), start=1):
        commands += [figure(quarter, 20 + number), close(quarter)]
    commands.append(figure("Q4", 30))
    return [json.dumps(command) for command in commands]


def _import(store: Store) -> list[audit.Seal]:
    result = import_lines(store.ledger, _year_with_closes())
    assert not result.refused, result.refused
    return audit.seals(store.chain, store.ledger.mapper)


def _reopened(store_url: str) -> Store:
    return open_store(store_url)


def test_closes_in_one_batch_each_seal_every_event_before_them(store: Store) -> None:
    found = _import(store)
    assert [seal.quarter for seal in found] == ["Q1", "Q2", "Q3"]
    assert len({seal.digest for seal in found}) == 3
    chain = dict(store.chain.select_chain(1, 10_000))
    positions = sorted(chain)
    for seal in found:
        before = positions[positions.index(seal.close_position) - 1]
        assert seal.sealed_position == before
        assert seal.digest == chain[before]
        assert (
            audit.verify_seal(store.chain, store.ledger.mapper, seal.digest).sealed_position
            == before
        )
    assert audit.verify(store.chain, store.ledger.mapper).ok


def test_a_figure_changed_before_a_close_breaks_its_seal_even_with_the_chain_rewritten(
    store: Store, store_url: str
) -> None:
    [q1, _, _] = _import(store)
    figure = next(
        n.id
        for n in store.ledger.recorder.select_notifications(1, 100)
        if n.topic.endswith("FigureReported") and b'"quarter":"Q1"' in n.state
    )
    assert figure < q1.close_position
    store.close()
    rows = StoredRows(store_url)
    rows.replace_in_event(figure, b'"value":21', b'"value":99')
    rows.rewrite_chain()
    reopened = _reopened(store_url)
    try:
        result = audit.verify(reopened.chain, reopened.ledger.mapper)
        assert not result.ok
        assert result.problem is not None
        assert f"seal of {YEAR} Q1" in result.problem
        assert not audit.verify_seal(reopened.chain, reopened.ledger.mapper, q1.digest).ok
    finally:
        reopened.close()


def test_a_removed_tail_is_caught_against_the_published_seals(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    found = _import(store)
    log = SealLog(tmp_path / "seals.jsonl")
    assert log.publish(found) == found
    assert log.publish(found) == []  # each seal is published once
    store.close()
    StoredRows(store_url).truncate_from(found[-1].close_position)
    reopened = _reopened(store_url)
    try:
        # The store alone cannot tell: what is left is a consistent, shorter history.
        assert audit.verify(reopened.chain, reopened.ledger.mapper).ok
        published = read_published(tmp_path / "seals.jsonl")
        result = audit.verify_published(reopened.chain, reopened.ledger.mapper, published)
        assert not result.ok
        assert result.problem is not None
        assert f"published seal of {YEAR} Q3 ({found[-1].digest}" in result.problem
        assert audit.verify_published(reopened.chain, reopened.ledger.mapper, published[:2]).ok
    finally:
        reopened.close()


def test_a_seal_log_that_is_not_utf8_text_is_refused_and_left_alone(
    store: Store, tmp_path: Path
) -> None:
    import pytest

    from domain.errors import BadInput

    found = _import(store)
    path = tmp_path / "not-a-seal-log.bin"
    path.write_bytes(b"\xff\xfe binary\n")
    with pytest.raises(BadInput, match="not UTF-8 text") as refused:
        SealLog(path).publish(found)
    assert refused.value.field == "seal_log"
    assert path.read_bytes() == b"\xff\xfe binary\n"
