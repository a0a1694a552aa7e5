"""The scheduler as operators run it: --run-pending from cron, and the long-running worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.builders import Command, comment, define, figure, jsonl, rag
from tests.conftest import PG_DSN, _drop_schema
from tests.e2e.cli import QUARTERLY, quarterly

YEAR = "2016/17"


def _year(store: str, tmp_path: Path) -> None:
    lines = [
        define(title="Peer", target=100),
        define("PW2", title="Narrative", theme=None, aggregation="latest", target=None),
    ]
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        lines += [figure(quarter, 25), rag(quarter, "green"), comment(quarter, "done")]
    file = tmp_path / "year.jsonl"
    file.write_text(jsonl(lines))
    assert quarterly("import", str(file), store=store).code == 0


def _report(store: str) -> dict[str, object]:
    run = quarterly("report", "--year", YEAR, "--format", "json", store=store)
    document: dict[str, object] = json.loads(run.stdout)
    return document


def _events(store: str) -> int:
    return int(quarterly("verify", store=store).stdout.split()[1])


def test_q1_closes_on_the_twentieth_of_july_once(store_url: str, tmp_path: Path) -> None:
    _year(store_url, tmp_path)
    assert quarterly("worker", "--run-pending", "--today", "2016-07-19", store=store_url).code == 0
    assert _report(store_url)["closed_quarters"] == []
    run = quarterly("worker", "--run-pending", "--today", "2016-07-20", store=store_url)
    assert run.code == 0
    assert "quarter_close 2016/17 Q1: closed" in run.stdout
    assert _report(store_url)["closed_quarters"] == ["Q1"]
    events = _events(store_url)
    again = quarterly("worker", "--run-pending", "--today", "2016-07-20", store=store_url)
    assert again.code == 0
    assert _events(store_url) == events


def test_a_worker_down_all_year_catches_up_in_order_once(store_url: str, tmp_path: Path) -> None:
    _year(store_url, tmp_path)
    run = quarterly("worker", "--run-pending", "--today", "2017-05-01", store=store_url)
    assert run.code == 0
    closes = [line for line in run.stdout.splitlines() if "quarter_close" in line]
    assert [line.split()[-2].rstrip(":") for line in closes] == ["Q1", "Q2", "Q3", "Q4"]
    assert "year_end_summary 2016/17 : summarised" in run.stdout
    assert "catching_up=True" in run.stderr  # the log says it is catching up
    events = _events(store_url)
    assert quarterly(
        "worker", "--run-pending", "--today", "2017-05-01", store=store_url
    ).stdout.startswith("0 due jobs run")
    assert _events(store_url) == events
    summary = json.loads(
        quarterly("year-end", "--year", YEAR, "--format", "json", store=store_url).stdout
    )
    assert summary["targets"] == 2
    assert summary["by_rag"]["green"] == 1
    assert summary["by_achievement"]["100% or more"] == 1


def test_reminders_appear_on_the_reminder_day_and_stop_when_the_figure_comes(
    store_url: str, tmp_path: Path
) -> None:
    _year(store_url, tmp_path)
    quarterly("worker", "--run-pending", "--today", "2016-08-01", store=store_url)
    late = define("PW3", title="Late", theme=None, target=10)
    _import(store_url, tmp_path, late)  # a target with nothing for Q2
    quarterly("worker", "--run-pending", "--today", "2016-10-12", store=store_url)
    assert _reminders(store_url, "PW3", "Q2") == []
    quarterly("worker", "--run-pending", "--today", "2016-10-13", store=store_url)
    assert _reminders(store_url, "PW3", "Q2") == [["delivered", "figure", "rag"]]
    _import(store_url, tmp_path, figure("Q2", 4, code="PW3", id="late"))
    assert _reminders(store_url, "PW3", "Q2") == [["delivered", "rag"]]


def _import(store: str, tmp_path: Path, command: Command) -> None:
    file = tmp_path / f"{command['id']}.jsonl"
    file.write_text(jsonl([command]))
    assert quarterly("import", str(file), store=store).code == 0


def _reminders(store: str, code: str, quarter: str) -> list[object]:
    reminders = _report(store).get("reminders", [])
    assert isinstance(reminders, list)
    return [r["missing"] for r in reminders if r["code"] == code and r["quarter"] == quarter]


def _run_pending(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [QUARTERLY, "worker", "--run-pending", "--today", "2017-05-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_two_workers_at_once_close_each_quarter_once(tmp_path: Path) -> None:
    for attempt in range(3):
        schema = f"workers_{uuid.uuid4().hex[:10]}"
        store = f"{PG_DSN}?schema={schema}"
        try:
            _year(store, tmp_path)
            env = os.environ | {"QUARTERLY_STORE": store}
            with ThreadPoolExecutor(max_workers=2) as pool:
                runs = list(pool.map(_run_pending, [env, env]))
            assert all(run.returncode == 0 for run in runs), [r.stderr for r in runs]
            history = json.loads(quarterly("seals", "--format", "json", store=store).stdout)
            assert [s["quarter"] for s in history] == ["Q1", "Q2", "Q3", "Q4"], attempt
            closed = sum(r.stdout.count(": closed") for r in runs)
            assert closed == 4, [r.stdout for r in runs]
            assert sum(r.stdout.count(": summarised") for r in runs) == 1
        finally:
            _drop_schema(schema)


def test_the_long_running_worker_closes_when_the_deadline_passes_and_stops_on_sigterm(
    store_url: str, tmp_path: Path
) -> None:
    _year(store_url, tmp_path)
    env = os.environ | {"QUARTERLY_STORE": store_url}
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                QUARTERLY,
                "worker",
                "--today",
                "2016-07-18",
                "--day-seconds",
                "1",
                "--interval",
                "0.2",
                "--catch-up-interval",
                "0.2",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if _report(store_url)["closed_quarters"] == ["Q1"]:
                    break
                time.sleep(0.3)
            assert _report(store_url)["closed_quarters"] == ["Q1"]
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
    assert code == 0
    text = log.read_text()
    assert "worker_stopped" in text
    assert "Traceback" not in text
