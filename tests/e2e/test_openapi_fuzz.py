"""schemathesis against /openapi.json with an admin token: no 5xx, no response that breaks
its own schema. Bounded examples keep it within CI's budget."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def test_no_server_errors_and_responses_match_the_schema(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'fuzz.db'}"
    assert quarterly("demo", store=store).code == 0
    token = make_token(store, "admin", "fuzzer")
    with serving(store, log=tmp_path / "serve.log") as base:
        run = subprocess.run(
            [
                SCHEMATHESIS,
                "run",
                f"{base}/openapi.json",
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--max-examples",
                "25",
                "--seed",
                "2016",
                "-H",
                f"Authorization: Bearer {token}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=tmp_path,
        )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout
