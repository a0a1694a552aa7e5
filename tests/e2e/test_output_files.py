"""Files the commands write: never the SQLite store (or its -wal/-shm/-journal), whole or
not at all, ``-`` for stdout, and any path printed as text (never Rich markup)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from tests.builders import define, jsonl
from tests.e2e.cli import QUARTERLY, quarterly


@pytest.fixture
def store(tmp_path: Path) -> str:
    commands = tmp_path / "one.jsonl"
    commands.write_text(jsonl([define("PW1")]))
    url = f"sqlite:///{tmp_path / 'quarterly.db'}"
    assert quarterly("import", str(commands), store=url).code == 0
    return url


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command",
    [
        ("board-pack", "--year", "2016/17", "--format", "html", "--out"),
        ("report", "--year", "2016/17", "--format", "json", "--out"),
        ("report", "--year", "2016/17", "--out"),
        ("export-events",),
    ],
)
@pytest.mark.parametrize("name", ["quarterly.db", "./sub/../quarterly.db", "quarterly.db-wal"])
def test_no_command_writes_over_the_store(
    store: str, tmp_path: Path, command: tuple[str, ...], name: str
) -> None:
    (tmp_path / "sub").mkdir(exist_ok=True)
    before = _digest(tmp_path / "quarterly.db")
    run = quarterly(*command, name, store=store, cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert ("FILE" if command == ("export-events",) else "--out") in run.stderr
    assert "store's own file" in run.stderr
    assert _digest(tmp_path / "quarterly.db") == before
    assert quarterly("report", "--year", "2016/17", store=store).code == 0


def test_a_hard_link_to_the_store_is_refused(store: str, tmp_path: Path) -> None:
    link = tmp_path / "linked.html"
    link.hardlink_to(tmp_path / "quarterly.db")
    run = quarterly(
        "board-pack", "--year", "2016/17", "--format", "html", "--out", str(link), store=store
    )
    assert run.code == 2
    assert "--out" in run.stderr


def test_a_failed_write_names_the_path_and_leaves_no_partial_file(
    store: str, tmp_path: Path
) -> None:
    run = quarterly(
        "board-pack", "--year", "2016/17", "--format", "html", "--out", "/dev/full", store=store
    )
    assert run.code == 1
    assert "/dev/full" in run.stderr
    assert "Traceback" not in run.stderr
    missing = tmp_path / "no-such-folder" / "pack.html"
    run = quarterly(
        "board-pack", "--year", "2016/17", "--format", "html", "--out", str(missing), store=store
    )
    assert run.code == 1
    assert str(missing) in run.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_dash_is_stdout_and_markup_in_a_path_is_text(store: str, tmp_path: Path) -> None:
    run = quarterly(
        "board-pack", "--year", "2016/17", "--format", "html", "--out", "-", store=store
    )
    assert run.code == 0, run.stderr
    assert run.stdout.lstrip().lower().startswith("<!doctype html>")
    (tmp_path / "x[").mkdir()
    odd = tmp_path / "x[/red]z[bold].html"
    run = quarterly(
        "board-pack", "--year", "2016/17", "--format", "html", "--out", str(odd), store=store
    )
    assert run.code == 0, run.stderr
    assert f"wrote {odd}" in run.stderr
    assert odd.read_text(encoding="utf-8").lower().lstrip().startswith("<!doctype html>")


def test_piped_tables_honour_columns_and_a_file_fits_every_column(
    store: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QUARTERLY_STORE"}
    env |= {"QUARTERLY_STORE": store, "COLUMNS": "70"}
    done = subprocess.run(
        [QUARTERLY, "report", "--year", "2016/17"], capture_output=True, text=True, env=env,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 70
    assert "Left out to fit 70 columns" in done.stdout
    out = tmp_path / "table.txt"
    run = quarterly(
        "report", "--year", "2016/17", "--commentary", "all", "--out", str(out), store=store
    )
    assert run.code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert "Left out" not in text
    assert "Forecast" in text


def test_a_store_path_with_markup_is_printed_as_text(tmp_path: Path) -> None:
    (tmp_path / "x[").mkdir()
    store = f"sqlite:///{tmp_path / 'x[/red]z[bold].db'}"
    run = quarterly("demo", store=store)
    assert run.code == 0, run.stderr
    assert f"Store: {store}." in " ".join(run.stdout.split())
