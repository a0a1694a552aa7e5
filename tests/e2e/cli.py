"""Runs ``quarterly`` as a user does: a separate process, the store from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

QUARTERLY = str(Path(sys.executable).with_name("quarterly"))


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def quarterly(
    *args: str,
    store: str | None,
    cwd: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "QUARTERLY_STORE"}
    env.update(extra_env or {})
    if store is not None:
        env["QUARTERLY_STORE"] = store
    env["COLUMNS"] = "160"
    done = subprocess.run(
        [QUARTERLY, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)
