"""schemathesis against /openapi.json with an admin token: no 5xx, no response that breaks
its own schema, and no request valid by the schema refused for its form (so the document
states what the parameters accept). Bounded examples keep it within CI's budget."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))

CONFIG = """
[checks]
enabled = false
not_a_server_error.enabled = true
response_schema_conformance.enabled = true
positive_data_acceptance.enabled = true

# A command valid by its schema can still be refused for what it means, as the contract
# says: a target that does not exist, a date outside the year, a closed quarter (422/409).
[[operations]]
include-path = "/api/v1/commands"
include-method = "POST"
checks.positive_data_acceptance.enabled = false

# A code the demo year has, so that history is fuzzed beyond its 404.
[[operations]]
include-path = "/api/v1/years/{year}/targets/{code}/history"
parameters = { code = "PS1" }

# The board pack: a quarter valid by the schema is refused while it is still open (422, as
# the contract refuses an open quarter's pack); xlsx keeps each example quick (the formats
# are tested in test_board_pack.py).
[[operations]]
include-path = "/api/v1/years/{year}/board-pack"
parameters = { format = "xlsx" }
checks.positive_data_acceptance.enabled = false
"""


def test_no_server_errors_and_responses_match_the_schema(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'fuzz.db'}"
    assert quarterly("demo", store=store).code == 0
    token = make_token(store, "admin", "fuzzer")
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    with serving(store, log=tmp_path / "serve.log") as base:
        run = subprocess.run(
            [
                SCHEMATHESIS,
                "--config-file",
                str(config),
                "run",
                f"{base}/openapi.json",
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
