"""What follows a command stored over HTTP: a close's seal is published at once, and a
restatement after year end revises the year-end summary."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

YEAR = "2016/17"


def test_a_close_publishes_its_seal_and_a_restatement_revises_the_year_end(
    store_url: str, tmp_path: Path
) -> None:
    seal_log = tmp_path / "seals.jsonl"
    token = make_token(store_url, "admin", "ada")
    env = {"QUARTERLY_SEAL_LOG": str(seal_log)}
    with (
        serving(store_url, env=env) as base,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http,
    ):

        def post(**command: object) -> int:
            return http.post("/api/v1/commands", json=command).status_code

        assert post(
            type="define_target", id="d", year=YEAR, code="PW1", title="Peer challenges",
            aggregation="sum", target=100,
        ) == 201  # fmt: skip
        assert post(type="report_figure", id="f", year=YEAR, code="PW1", quarter="Q4", value=95)
        assert post(type="close_quarter", id="close-q1", year=YEAR, quarter="Q1") == 201
        [published] = [json.loads(line) for line in seal_log.read_text().splitlines()]
        assert (published["year"], published["quarter"]) == (YEAR, "Q1")

        run = quarterly(
            "worker", "--run-pending", "--today", "2017-05-01", store=store_url, extra_env=env
        )
        assert run.code == 0, run.stderr
        before = json.loads(
            quarterly("year-end", "--year", YEAR, "--format", "json", store=store_url).stdout
        )
        assert before["by_achievement"]["90-99%"] == 1
        assert post(
            type="report_figure", id="restated", year=YEAR, code="PW1", quarter="Q4",
            value=101, restatement_reason="Two late returns",
        ) == 201  # fmt: skip
    after = json.loads(
        quarterly("year-end", "--year", YEAR, "--format", "json", store=store_url).stdout
    )
    assert after["by_achievement"]["100% or more"] == 1
    assert len(seal_log.read_text().splitlines()) == 4  # the worker published Q2, Q3, Q4
