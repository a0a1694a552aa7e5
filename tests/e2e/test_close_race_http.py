"""Two ``serve`` processes on one store, eight clients writing Q1 figures and engagements
while Q1 is closed: no write is stored after the close without a restatement reason."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from infra.store import open_store
from tests.builders import close as close_quarter
from tests.builders import define as a_target
from tests.builders import engagement, figure
from tests.e2e.server import make_token, serving
from tests.integration.test_close_race import _late_writes

CLIENTS = 8
RACES = 3


def _client(
    bases: list[str], token: str, year: str, number: int, stop: threading.Event
) -> set[int]:
    statuses: set[int] = set()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=bases[number % 2], headers=headers, timeout=60) as client:
        written = 0
        while not stop.is_set():
            written += 1
            command_id = f"{year}-c{number}-{written}"
            body = (
                figure("Q1", written, code="R1", year=year, id=command_id)
                if written % 2
                else engagement(
                    f"{year[:4]}-06-30", code="R1", council="Kent", year=year, id=command_id
                )
            )
            statuses.add(client.post("/api/v1/commands", json=body).status_code)
    return statuses


def test_no_write_lands_after_a_close_through_two_servers(store_url: str) -> None:
    token = make_token(store_url, "admin", "racer")
    headers = {"Authorization": f"Bearer {token}"}
    chance = random.Random(2016)
    with serving(store_url) as first, serving(store_url) as second:
        for race in range(RACES):
            year = f"{2010 + race}/{(11 + race) % 100:02d}"
            define = a_target("R1", year=year, title="Raced", theme=None, target=None)
            assert (
                httpx.post(f"{first}/api/v1/commands", json=define, headers=headers).status_code
                == 201
            )
            stop = threading.Event()
            pool = ThreadPoolExecutor(CLIENTS)
            clients = [
                pool.submit(_client, [first, second], token, year, n, stop) for n in range(CLIENTS)
            ]
            time.sleep(chance.uniform(0.2, 0.5))
            close = close_quarter("Q1", year=year)
            closed = httpx.post(
                f"{second}/api/v1/commands", json=close, headers=headers, timeout=60
            )
            assert closed.status_code == 201, closed.text
            time.sleep(0.3)
            stop.set()
            statuses = set().union(*(client.result() for client in clients))
            pool.shutdown()
            assert statuses <= {201, 409}, statuses
            store = open_store(store_url)
            try:
                late, before = _late_writes(store, year)
            finally:
                store.close()
            assert before > 0, "the clients did not race the close"
            assert late == 0, f"race {race}: {late} writes stored after the close of Q1 {year}"
