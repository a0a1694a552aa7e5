"""``quarterly bench``'s page figures: every page over HTTP with a session, measured on a
small history (the bench runs it at a million events)."""

from __future__ import annotations

from pathlib import Path

from bench.pages import page_renders, pages_of
from bench.stores import opened
from bench.workload import YEAR, load_history
from projections.runner import ProjectionRunner


def test_the_bench_times_every_page_for_a_signed_in_browser(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    with opened(url) as store:
        events = load_history(store.ledger, 2_000)
        ProjectionRunner(store.ledger, store.read_models).catch_up()
        figures = page_renders(url, store, events, report_ms=2.0, runs=3)
    assert [f.name for f in figures] == [
        f"{name} (web), {events:,} events in the store" for name, _ in pages_of(YEAR)
    ]
    assert figures[0].name == f"return page (web), {events:,} events in the store"
    for figure in figures:
        assert figure.value is not None
        assert figure.value > 0
        assert figure.unit == "ms (p95)"
        assert figure.baseline == 2.0
        assert "median" in figure.note
