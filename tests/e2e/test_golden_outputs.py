"""What the CLI and the HTTP API print for the sample year stays byte for byte what it was.

The files under data/golden/ were written by the version before the read side was typed
(issue 12); a refactoring must reproduce them exactly, on both stores. When the contract
changes on purpose, regenerate them with QUARTERLY_WRITE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

GOLDEN = Path(__file__).parent / "data" / "golden"
WRITE = os.environ.get("QUARTERLY_WRITE_GOLDEN") == "1"
Y = ("--year", "2016/17")
Q1_CLOSED, Q2_CLOSED = "2016-07-20T01:00:00Z", "2016-10-20T01:00:00Z"

CLI_OUTPUTS: dict[str, tuple[str, ...]] = {
    "report.json": ("report", *Y, "--format", "json"),
    "report-as-at.json": ("report", *Y, "--as-at", "2016-10-14T17:00:00Z", "--format", "json"),
    "report.csv": ("report", *Y, "--format", "csv"),
    "report.html": ("report", *Y, "--format", "html"),
    "report.txt": ("report", *Y),
    "history-PS1.json": ("history", *Y, "--code", "PS1", "--format", "json"),
    "history-EP1.json": ("history", *Y, "--code", "EP1", "--format", "json"),
    "history-SC1.txt": ("history", *Y, "--code", "SC1"),
    "diff.json": ("diff", *Y, "--from", Q1_CLOSED, "--to", Q2_CLOSED, "--format", "json"),
    "milestones.json": ("milestones", "--format", "json"),
    "milestones.txt": ("milestones",),
    "risks.json": ("risks", "--format", "json"),
    "risks.txt": ("risks",),
    "seals.json": ("seals", "--format", "json"),
    "verify.txt": ("verify",),
}
HTTP_OUTPUTS = {
    "report.json": "/api/v1/years/2016-17/report",
    "report-as-at.json": "/api/v1/years/2016-17/report?as_at=2016-10-14T17:00:00Z",
    "history-PS1.json": "/api/v1/years/2016-17/targets/PS1/history",
    "history-EP1.json": "/api/v1/years/2016-17/targets/EP1/history",
    "diff.json": f"/api/v1/years/2016-17/diff?from={Q1_CLOSED}&to={Q2_CLOSED}",
    "milestones.json": "/api/v1/milestones",
    "risks.json": "/api/v1/risks",
    "seals.json": "/api/v1/seals",
}


def _check(name: str, printed: str) -> None:
    golden = GOLDEN / name
    if WRITE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8"), f"{name} differs from its golden copy"


@pytest.mark.skipif(WRITE, reason="writing the golden copies; the next run compares")
def test_the_golden_copies_exist() -> None:
    assert {p.name for p in GOLDEN.iterdir()} >= {*CLI_OUTPUTS, "year-end.json"}


def test_cli_and_http_print_what_they_printed_before(store_url: str, tmp_path: Path) -> None:
    assert quarterly("demo", store=store_url).code == 0
    for name, args in CLI_OUTPUTS.items():
        run = quarterly(*args, store=store_url)
        assert run.code == 0, f"{args}: {run.stderr}"
        _check(name, run.stdout)
    token = make_token(store_url, "auditor", "golden")
    with (
        serving(store_url, log=tmp_path / "serve.log") as base,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http,
    ):
        for name, path in HTTP_OUTPUTS.items():
            response = http.get(path)
            assert response.status_code == 200, response.text
            assert response.text == (GOLDEN / name).read_text(encoding="utf-8"), name
    assert quarterly("worker", "--run-pending", "--today", "2017-05-01", store=store_url).code == 0
    year_end = quarterly("year-end", *Y, "--format", "json", store=store_url)
    assert year_end.code == 0, year_end.stderr
    _check("year-end.json", year_end.stdout)
