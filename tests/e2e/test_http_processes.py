"""Several ``serve`` processes on one PostgreSQL store: idempotency and order hold."""

from __future__ import annotations

import json
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.builders import Command, define, engagement, jsonl
from tests.conftest import PG_DSN, _drop_schema
from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

COMMANDS = 1000


def _commands() -> list[Command]:
    commands = [
        define(code, title=code, theme="Load", target=500) for code in ("L1", "L2", "L3", "L4")
    ]
    months = ["2016-04", "2016-07", "2016-10", "2017-01"]
    commands += [
        engagement(f"{months[n % 4]}-{n % 28 + 1:02d}", code=f"L{n % 4 + 1}", count=n % 3 + 1)
        for n in range(COMMANDS - 4)
    ]
    return commands


def test_two_servers_store_each_command_once(tmp_path: Path) -> None:
    schema = f"http_{uuid.uuid4().hex[:12]}"
    store = f"{PG_DSN}?schema={schema}"
    single = f"sqlite:///{tmp_path / 'single.db'}"
    commands = _commands()
    try:
        token = make_token(store, "admin", "loader")
        headers = {"Authorization": f"Bearer {token}"}
        with (
            serving(store) as first,
            serving(store) as second,
            httpx.Client(base_url=first, timeout=60, headers=headers) as one,
            httpx.Client(base_url=second, timeout=60, headers=headers) as other,
        ):

            def post(job: tuple[httpx.Client, Command]) -> tuple[object, int]:
                client, command = job
                return command["id"], client.post("/api/v1/commands", json=command).status_code

            for command in commands[:4]:  # targets first, in order, as a plan is set
                post((one, command))
            # Every other command goes to both servers at once, as a client retrying
            # elsewhere would, all mixed together.
            jobs = [(client, c) for c in commands[4:] for client in (one, other)]
            random.Random(7).shuffle(jobs)
            codes: dict[object, list[int]] = {}
            with ThreadPoolExecutor(max_workers=16) as pool:
                for command_id, status in pool.map(post, jobs):
                    codes.setdefault(command_id, []).append(status)
            assert len(codes) == COMMANDS - 4
            assert all(sorted(pair) == [200, 201] for pair in codes.values()), codes
            over_http = one.get("/api/v1/years/2016/17/report").json()
        verify = quarterly("verify", store=store)
        # Four definitions with their receipts, engagements that are their own receipts,
        # and the token's two events.
        assert verify.stdout.startswith(f"OK: {4 * 2 + (COMMANDS - 4) + 2} events")
        lines = tmp_path / "commands.jsonl"
        lines.write_text(jsonl(commands))
        assert quarterly("import", str(lines), store=single).code == 0
        expected = json.loads(
            quarterly("report", "--year", "2016/17", "--format", "json", store=single).stdout
        )
        assert over_http == expected
    finally:
        _drop_schema(schema)
