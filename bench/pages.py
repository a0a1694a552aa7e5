"""The web pages' speed: every page of a long history, drawn by a real ``quarterly serve``
for a signed-in browser, beside the in-process read of the same return."""

from __future__ import annotations

import re
import statistics
import time
import uuid

import httpx

from application.access import issue_token
from bench.figures import Figure, ratio
from bench.http import serving
from bench.workload import TARGETS, YEAR
from domain.access import Role
from infra.store import Store

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(http: httpx.Client, token: str) -> None:
    """Signs ``http`` in through the start page's form, as a browser does."""
    start = http.get("/")
    found = CSRF.search(start.text)
    if found is None:
        raise RuntimeError("the start page has no sign-in form")
    signed = http.post("/sign-in", data={"token": token, "csrf_token": found.group(1)})
    if signed.status_code != 303:
        raise RuntimeError(f"the bench could not sign in: {signed.status_code}")


def pages_of(year: str) -> list[tuple[str, str]]:
    """(name, path) of every page a signed-in admin can open in ``year``, the take-up
    chart (an image of its page) included."""
    in_year = "/years/" + year.replace("/", "-")
    return [
        ("return page", in_year),
        ("target page", f"{in_year}/targets/{TARGETS[0]}"),
        ("what-changed page (last 7 days)", f"{in_year}/changes"),
        ("record-an-engagement page", "/engagements/new"),
        ("your-engagements page", "/engagements"),
        ("take-up page", f"{in_year}/take-up"),
        ("take-up chart", f"{in_year}/take-up/by-region.svg"),
        ("milestones page", "/milestones"),
        ("risks page", "/risks"),
        ("verification page", "/verification"),
    ]


def page_renders(
    url: str,
    store: Store,
    events: int,
    report_ms: float,
    runs: int = 60,
    *,
    pages: list[tuple[str, str]] | None = None,
) -> list[Figure]:
    """Median and p95 (ms) of ``GET`` of each page (:func:`pages_of`) over HTTP with a
    session, on the store at ``url`` holding ``events`` events, beside ``report_ms`` (the
    in-process report's median on the same store). Each page is read once first (that
    read catches the server's projection up and, on the verification page, recomputes
    the whole chain once: its time is in the note)."""
    _, token = issue_token(store.ledger, Role.ADMIN, name=f"bench-pages-{uuid.uuid4().hex[:8]}")
    figures = []
    with serving(url) as base, httpx.Client(base_url=base, timeout=600) as http:
        sign_in(http, token)
        for name, path in pages or pages_of(YEAR):
            started = time.perf_counter()
            _get(http, path)
            first = (time.perf_counter() - started) * 1000
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                _get(http, path)
                timings.append((time.perf_counter() - started) * 1000)
            figures.append(_figure(f"{name} (web)", events, timings, report_ms, first))
    return figures


def _get(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")


def _figure(name: str, events: int, timings: list[float], report_ms: float, first: float) -> Figure:
    timings.sort()
    median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
    return Figure(
        f"{name}, {events:,} events in the store",
        round(p95, 2),
        "ms (p95)",
        round(report_ms, 2),
        ratio(p95, report_ms),
        "p95 <= 100 ms (issue 15)",
        f"median {median:.2f} ms of {len(timings)} reads over HTTP with a session (first "
        f"read {first:.0f} ms); "
        "baseline: the in-process report's median on the same store",
    )
