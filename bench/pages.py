"""The web pages' speed: the return page of a long history, drawn by a real ``quarterly
serve`` for a signed-in browser, beside the in-process read of the same return."""

from __future__ import annotations

import re
import statistics
import time

import httpx

from application.access import issue_token
from bench.figures import Figure, ratio
from bench.http import serving
from bench.workload import YEAR
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


def page_render(url: str, store: Store, events: int, report_ms: float, runs: int = 60) -> Figure:
    """Median and p95 (ms) of ``GET /years/<year>`` over HTTP with a session, on the store
    at ``url`` holding ``events`` events, beside ``report_ms`` (the in-process report's
    median on the same store)."""
    _, token = issue_token(store.ledger, Role.ADMIN, name="bench-pages")
    path = "/years/" + YEAR.replace("/", "-")
    timings = []
    with serving(url) as base, httpx.Client(base_url=base, timeout=30) as http:
        sign_in(http, token)
        http.get(path)  # the first read catches the server's projection up
        for _ in range(runs):
            started = time.perf_counter()
            response = http.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"the return page answered {response.status_code}")
    timings.sort()
    median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
    return Figure(
        f"return page (web), {events:,} events in the store",
        round(p95, 2),
        "ms (p95)",
        round(report_ms, 2),
        ratio(p95, report_ms),
        "p95 <= 100 ms (issue 15)",
        f"median {median:.2f} ms over HTTP with a session; baseline: the in-process "
        "report's median on the same store",
    )
