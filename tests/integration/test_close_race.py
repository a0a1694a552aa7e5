"""Closed means closed under concurrency: writes racing a quarter's close are stored before
it (in notification order), refused, or stored as restatements; never after it unmarked."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Iterator

import pytest

from application.commands import parse_command
from domain.calendar import FinancialYear
from domain.engagements import Engagement
from domain.errors import QuarterClosed
from domain.quarter_close import ReportingYear
from domain.targets import Target
from infra.store import Store, open_store
from tests.builders import close, define, engagement, figure

WRITERS = 8
RACES = 10


@pytest.fixture(params=["a store per writer", "one store shared by the writers"])
def stores(store_url: str, request: pytest.FixtureRequest) -> Iterator[list[Store]]:
    """The closer's store, then each writer's: their own (as separate processes have, with
    their own connections) or one shared (as a server's threads: group commit gathers
    their writes into shared transactions)."""
    if request.param == "a store per writer":
        opened = [open_store(store_url) for _ in range(WRITERS + 1)]
    else:
        opened = [open_store(store_url), open_store(store_url)]
    try:
        yield opened[:1] + (opened[1:] if len(opened) > 2 else opened[1:] * WRITERS)
    finally:
        for store in opened:
            store.close()


def _write_until(stop: threading.Event, store: Store, year: str, writer: int) -> int:
    written = 0
    while not stop.is_set():
        written += 1
        command_id = f"{year}-w{writer}-{written}"
        payload = (
            figure("Q1", written, code="R1", year=year, id=command_id)
            if written % 2
            else engagement(
                f"{year[:4]}-06-30", code="R1", council="Kent", year=year, id=command_id
            )
        )
        command = parse_command(payload)
        with contextlib.suppress(QuarterClosed):
            store.ledger.execute(command)
    return written


def _late_writes(store: Store, year: str) -> tuple[int, int]:
    """(Q1 writes stored after the close without a restatement reason, Q1 writes before)."""
    closed_at, late, before = None, 0, 0
    for notification in store.ledger.recorder.select_notifications(1, 10**6):
        event = store.ledger.mapper.to_domain_event(notification)
        if isinstance(event, ReportingYear.QuarterClosed) and event.year == year:
            closed_at = notification.id
        writes_q1 = isinstance(event, Target.FigureReported | Engagement.Recorded) and (
            event.year == year and event.quarter == "Q1"
        )
        if not writes_q1:
            continue
        if closed_at is None:
            before += 1
        elif getattr(event, "restatement_reason", None) is None:
            late += 1
    assert closed_at is not None
    return late, before


def test_writes_racing_a_close_are_never_stored_after_it_unmarked(stores: list[Store]) -> None:
    closer, writers = stores[0], stores[1:]
    chance = random.Random(2016)
    for race in range(RACES):
        year = str(FinancialYear(2000 + race))
        closer.ledger.execute(
            parse_command(define("R1", year=year, title="Raced", theme=None, target=None))
        )
        stop = threading.Event()
        threads = [
            threading.Thread(target=_write_until, args=(stop, store, year, n))
            for n, store in enumerate(writers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(chance.uniform(0.05, 0.2))
        closer.ledger.execute(parse_command(close("Q1", year=year)))
        time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join()
        late, before = _late_writes(closer, year)
        assert before > 0, "the writers did not race the close"
        assert late == 0, f"race {race}: {late} writes stored after the close of Q1 {year}"
    if writers[0] is writers[-1]:
        grouped = getattr(writers[0].ledger.recorder, "group_commit")  # noqa: B009
        assert grouped.groups < grouped.inserts, "the shared store's writes were not grouped"
