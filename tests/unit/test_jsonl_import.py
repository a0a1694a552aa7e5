"""``import_lines`` stores each batch while it reads the next: the outcome, the recorded
time and any store error are those of storing the batches one after the other."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from application.jsonl_import import import_lines
from domain.provenance import recorded_at
from tests.builders import define
from tests.builders import engagement as kent_engagement
from tests.unit.ledgers import in_memory


def _lines(count: int) -> list[str]:
    engagements = [kent_engagement("2016-05-10", id=f"e{n}") for n in range(count)]
    return [json.dumps(p) for p in (define(), *engagements)]


def test_batches_read_ahead_count_every_line_in_order() -> None:
    ledger = in_memory()
    lines = _lines(9)
    lines.insert(4, '{"type": "record_engagement"')  # line 5: not JSON
    lines.append(lines[2])  # line 12: a replay
    done: list[int] = []
    result = import_lines(ledger, lines, batch_size=2, on_lines=done.append)
    assert (result.stored, result.already_stored) == (10, 1)
    assert [refused.line for refused in result.refused] == [5]
    assert sum(done) == 11  # every command counted once, in batches of 2 (the last 1)
    assert done == [2, 2, 2, 2, 2, 1]


def test_batches_stored_in_another_thread_keep_the_callers_recorded_time() -> None:
    ledger = in_memory()
    moment = datetime(2016, 4, 1, 9, 30, tzinfo=UTC)
    with recorded_at(moment):
        result = import_lines(ledger, _lines(5), batch_size=2)
    assert result.stored == 6
    notifications = ledger.recorder.select_notifications(1, 100)
    times = {getattr(ledger.mapper.to_domain_event(n), "timestamp") for n in notifications}  # noqa: B009
    assert times == {moment}


def test_a_store_error_in_a_batch_stops_the_import_with_it() -> None:
    ledger = in_memory()
    calls: list[int] = []
    store_batch = ledger.execute_batch

    def failing_second(commands: Any, recorded: Any = None) -> Any:
        calls.append(len(commands))
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        return store_batch(commands, recorded)

    ledger.execute_batch = failing_second  # type: ignore[method-assign]
    with pytest.raises(ConnectionError, match="went away"):
        import_lines(ledger, _lines(9), batch_size=3)
    assert calls == [3, 3]  # no batch is started after the one that failed
    # Only the first batch is stored: the target (with its receipt) and two engagements.
    assert len(ledger.recorder.select_notifications(1, 100)) == 2 + 2
