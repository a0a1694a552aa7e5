"""`pip install .` without extras gives a `quarterly` whose every command runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    "demo", "import", "report", "history", "milestones", "risks", "rebuild", "diff", "verify",
    "seals", "export-events", "restore", "bench", "token", "serve", "worker", "year-end",
    "board-pack",
]  # fmt: skip


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain")
    source = folder / "source"  # pip builds in the tree it is given: not in ours
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv*", ".git", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(source)],
        check=True,
        timeout=900,
        capture_output=True,
    )
    return venv / "bin" / "quarterly"


def _run(quarterly: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(quarterly), *args], capture_output=True, text=True, cwd=cwd, timeout=300, check=False
    )


def test_every_command_of_a_plain_install_runs(plain: Path, tmp_path: Path) -> None:
    top = _run(plain, "--help", cwd=tmp_path)
    assert top.returncode == 0, top.stderr
    for command in COMMANDS:
        assert command in top.stdout
        helped = _run(plain, command, "--help", cwd=tmp_path)
        assert helped.returncode == 0, f"{command}: {helped.stderr}"
    # `bench` is a package of its own beside the service's: the wheel must ship it too.
    shipped = subprocess.run(
        [str(plain.with_name("python")), "-c", "import bench.runner"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert shipped.returncode == 0, shipped.stderr
    # The web pages' templates and assets are package data: a plain install serves them.
    pages = subprocess.run(
        [
            str(plain.with_name("python")),
            "-c",
            "from infra.web import STATIC; from infra.web.templating import ENVIRONMENT; "
            "ENVIRONMENT.get_template('return.html'); "
            "assert (STATIC / 'govuk' / 'govuk-frontend.min.js').is_file(); "
            "assert (STATIC / 'autocomplete' / 'accessible-autocomplete.min.js').is_file()",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert pages.returncode == 0, pages.stderr
    demo = _run(plain, "demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    for args in (
        ("report", "--year", "2016/17", "--format", "xlsx", "--out", "r.xlsx"),
        # The pack's template and stylesheet are package data: the wheel must ship them.
        ("board-pack", "--year", "2016/17", "--format", "html", "--out", "p.html"),
        ("board-pack", "--year", "2016/17", "--format", "pdf", "--out", "p.pdf"),
        ("verify",),
        ("seals", "--format", "json"),
        ("worker", "--run-pending", "--today", "2017-05-01"),
        ("year-end", "--year", "2016/17"),
    ):
        run = _run(plain, *args, cwd=tmp_path)
        assert run.returncode == 0, f"{args}: {run.stderr}"
