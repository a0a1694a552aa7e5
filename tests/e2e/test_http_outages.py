"""Failures behind the API: a database outage answers 503 with Retry-After and the service
recovers; a bug answers 500; neither drops the client's keep-alive connection; each failure
is one JSON log line; /health tells the truth. The shared PostgreSQL is never restarted:
outages are a TCP proxy the test cuts, or the server's own connections terminated."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

from tests.conftest import PG_DSN, _drop_schema
from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving
from tests.e2e.tcp_proxy import TcpProxy

PUBLISHED = Path(__file__).parent / "data" / "published_return_2016_17.jsonl"
REPORT = "/api/v1/years/2016-17/report"


def engagement(command_id: str) -> dict[str, object]:
    return {
        "type": "record_engagement",
        "id": command_id,
        "year": "2016/17",
        "code": "PC",
        "date": "2016-11-03",
        "council": "Leeds City Council",
    }


def local_port(response: httpx.Response) -> int:
    """The client's end of the connection that carried ``response``."""
    stream = response.extensions["network_stream"]
    port: int = stream.get_extra_info("client_addr")[1]
    return port


def log_lines(log: Path) -> list[dict[str, Any]]:
    """Every line of the server's JSON log (it fails here if any line is not JSON)."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def failed_requests(log: Path, status: int) -> list[dict[str, Any]]:
    return [
        line
        for line in log_lines(log)
        if line.get("event") == "request" and line.get("status") == status
    ]


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    schema = f"outage_{uuid.uuid4().hex[:12]}"
    try:
        yield schema
    finally:
        _drop_schema(schema)


def poison_target_definitions(store_url: str) -> None:
    """Makes every stored target definition undecodable, as a bad release or a broken disk
    could: the projection can then never get past the first one."""
    if store_url.startswith("sqlite:///"):
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as connection:
            connection.execute(
                "UPDATE stored_events SET state = X'00' WHERE topic = ?",
                ("domain.targets:Target.Defined",),
            )
        return
    schema = parse_qs(urlsplit(store_url).query)["schema"][0]
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(
            f'UPDATE "{schema}".quarterly_events SET state = %s WHERE topic = %s',
            (b"\x00", "domain.targets:Target.Defined"),
        )


def test_a_stuck_projection_is_degraded_health_and_500s_keep_the_connection(
    store_url: str, tmp_path: Path
) -> None:
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    token = make_token(store_url, "admin", "ada")
    poison_target_definitions(store_url)
    # The read models are emptied, and cannot be rebuilt past the poisoned events.
    assert quarterly("rebuild", store=store_url).code != 0
    log = tmp_path / "serve.log"
    headers = {"Authorization": f"Bearer {token}"}
    with (
        serving(store_url, log=log, healthy=False) as base,
        httpx.Client(base_url=base, headers=headers, timeout=30) as client,
    ):
        health = client.get("/api/v1/health")
        deadline = time.monotonic() + 30
        while health.json()["status"] != "degraded" and time.monotonic() < deadline:
            time.sleep(0.2)
            health = client.get("/api/v1/health")
        assert health.status_code == 503
        state = health.json()
        assert state["status"] == "degraded"
        assert state["projection_error"]
        assert state["projection_failing_since"]
        assert state["projection_lag"] == state["head_position"] > 0
        port = local_port(health)
        for path in (REPORT, "/api/v1/milestones", "/api/v1/years/2016-17/targets/PC/history"):
            response = client.get(path, headers={"X-Request-ID": f"stuck-{path.count('/')}"})
            assert response.status_code == 500
            assert response.json()["field"] is None
            assert response.headers["x-request-id"] in response.json()["error"]
            assert local_port(response) == port  # the same keep-alive connection
        verify = client.get("/api/v1/verify")  # still served, on the same connection
        assert (verify.status_code, verify.json()["ok"]) == (200, False)
        assert local_port(verify) == port
    failures = failed_requests(log, 500)
    assert [line["request_id"] for line in failures] == ["stuck-5", "stuck-3", "stuck-7"]
    assert all(line["error_type"] and line["where"] for line in failures)
    follower = [line for line in log_lines(log) if line["event"] == "projection_follow_failed"]
    assert len(follower) == 1  # once when it starts failing, not every half second
    assert "Traceback" not in log.read_text()


Call = tuple[str, str, dict[str, object] | None]  # method, path, JSON body


def send(client: httpx.Client, call: Call) -> httpx.Response:
    method, path, body = call
    return client.request(method, path, json=body)


def poll(client: httpx.Client, call: Call, seconds: float = 90) -> list[httpx.Response]:
    """One request, sent every half second until it is answered other than 503."""
    responses: list[httpx.Response] = []
    deadline = time.monotonic() + seconds
    while not responses or responses[-1].status_code == 503:
        assert time.monotonic() < deadline, [r.status_code for r in responses]
        if responses:
            time.sleep(0.5)
        responses.append(send(client, call))
    return responses


@pytest.mark.postgres
def test_a_database_outage_answers_503_then_the_service_recovers(
    postgres_schema: str, tmp_path: Path
) -> None:
    direct = f"{PG_DSN}?schema={postgres_schema}"
    assert quarterly("import", str(PUBLISHED), store=direct).code == 0
    token = make_token(direct, "admin", "ada")
    proxy = TcpProxy(("127.0.0.1", 5432))
    proxy.start()
    through_proxy = f"postgresql://root@127.0.0.1:{proxy.port}/test?schema={postgres_schema}"
    log = tmp_path / "serve.log"
    headers = {"Authorization": f"Bearer {token}"}
    # A read, a write and the health check, each on its own keep-alive connection, at once.
    requests: list[Call] = [
        ("GET", REPORT, None),
        ("POST", "/api/v1/commands", engagement("during")),
        ("GET", "/api/v1/health", None),
    ]
    try:
        with serving(through_proxy, log=log) as base:
            clients = [httpx.Client(base_url=base, headers=headers, timeout=60) for _ in requests]

            warm_up = [client.get("/api/v1/risks") for client in clients]
            assert [response.status_code for response in warm_up] == [200] * len(clients)
            ports = [local_port(response) for response in warm_up]

            proxy.stop()  # the outage: every connection cut, new ones refused
            with ThreadPoolExecutor(max_workers=len(requests)) as pool:
                during = list(pool.map(send, clients, requests))
            for response, port in zip(during, ports, strict=True):
                assert response.status_code == 503, response.text
                assert int(response.headers["retry-after"]) > 0
                assert local_port(response) == port  # the connection was kept
            report, command, health = (response.json() for response in during)
            assert set(report) == set(command) == {"error", "field"}
            assert "try again" in command["error"]
            assert health["status"] == "unreachable"

            proxy.start()  # recovery
            with ThreadPoolExecutor(max_workers=len(requests)) as pool:
                polled = list(pool.map(poll, clients, requests))
            statuses = [[response.status_code for response in answers] for answers in polled]
            for answers in statuses:
                assert set(answers[:-1]) <= {503}, statuses
            report_status, command_status, health_status = (answers[-1] for answers in statuses)
            assert (report_status, health_status) == (200, 200)
            assert command_status in (200, 201)  # 200 if an attempt was stored unanswered
            assert [local_port(answers[-1]) for answers in polled] == ports
            for client in clients:
                client.close()
        answered_503 = len(during) + sum(answers.count(503) for answers in statuses)
    finally:
        proxy.stop()
    failures = failed_requests(log, 503)
    assert len(failures) == answered_503  # one line per failed request
    assert all(line["error_type"] and line["error"] for line in failures)
    assert not failed_requests(log, 500)
    assert "Traceback" not in log.read_text()


@pytest.mark.postgres
def test_connections_the_database_ends_are_replaced_without_failing_a_request(
    postgres_schema: str, tmp_path: Path
) -> None:
    store = f"{PG_DSN}?schema={postgres_schema}"
    assert quarterly("import", str(PUBLISHED), store=store).code == 0
    token = make_token(store, "admin", "ada")
    name = f"quarterly-test-{uuid.uuid4().hex[:12]}"  # libpq names every connection with it
    headers = {"Authorization": f"Bearer {token}"}
    with (
        serving(store, log=tmp_path / "serve.log", env={"PGAPPNAME": name}) as base,
        httpx.Client(base_url=base, headers=headers, timeout=60) as client,
    ):
        assert client.get(REPORT).status_code == 200
        ended = terminate_connections(name)
        assert ended
        assert client.get(REPORT).status_code == 200
        assert client.post("/api/v1/commands", json=engagement("after")).status_code == 201
        history = client.get("/api/v1/years/2016-17/targets/PC/history")
        assert history.status_code == 200
        assert "after" in {entry["command_id"] for entry in history.json()}
        reconnected = backends(name)
        assert reconnected  # the server opened new connections ...
        assert not set(reconnected) & set(ended)  # ... and none of the ended ones came back


def backends(application_name: str) -> list[int]:
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (application_name,)
        ).fetchall()
    return [pid for (pid,) in rows]


def terminate_connections(application_name: str) -> list[int]:
    """Ends every connection of one server, as a database restart would, and waits until
    they are gone."""
    pids = backends(application_name)
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        for pid in pids:
            connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
    deadline = time.monotonic() + 15
    while set(pids) & set(backends(application_name)):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return pids
