"""``quarterly bench``'s page figure: the return page over HTTP with a session, measured
on a small history (the bench runs it at a million events)."""

from __future__ import annotations

from pathlib import Path

from bench.pages import page_render
from bench.stores import opened
from bench.workload import load_history
from projections.runner import ProjectionRunner


def test_the_bench_times_the_return_page_for_a_signed_in_browser(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    with opened(url) as store:
        events = load_history(store.ledger, 2_000)
        ProjectionRunner(store.ledger, store.read_models).catch_up()
        figure = page_render(url, store, events, report_ms=2.0, runs=5)
    assert figure.name == f"return page (web), {events:,} events in the store"
    assert figure.value is not None
    assert figure.value > 0
    assert figure.unit == "ms (p95)"
    assert figure.baseline == 2.0
    assert "median" in figure.note
