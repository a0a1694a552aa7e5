"""Ctrl-C during an import (application/jsonl_import.py): the batch being stored is let
finish and counted, whenever the interrupt comes and however many come, so the counts
reported are exactly what was stored."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from _pytest.capture import CaptureFixture

from application.jsonl_import import ImportInterrupted, ImportResult, import_lines
from infra.cli import main, returns
from infra.seal_publication import read_published
from infra.store import Store
from tests.builders import close, define, engagement, figure

BATCH = 10
LINES = 3 * BATCH  # three batches


class _InterruptedDuring:
    """The ledger, but as it stores batch number ``batch`` the process gets SIGINT
    ``times`` times, as Ctrl-C pressed then."""

    def __init__(self, ledger: Any, batch: int, times: int) -> None:
        self._ledger = ledger
        self._batch = batch
        self._times = times
        self._calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)

    def execute_batch(self, commands: Sequence[Any], *args: Any) -> Any:
        self._calls += 1
        if self._calls == self._batch:  # every press before the batch is stored: none late
            for _ in range(self._times):
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
            time.sleep(0.1)
        return self._ledger.execute_batch(commands, *args)


@pytest.fixture
def sigint_raises() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _lines() -> list[str]:
    commands = [define(), *(engagement(id=f"e{n}") for n in range(LINES - 1))]
    return [json.dumps(command) for command in commands]


def _stored(store: Store) -> int:
    """How many of the file's lines the store holds: importing it again tells."""
    return import_lines(store.ledger, _lines(), batch_size=BATCH).already_stored


@pytest.mark.usefixtures("sigint_raises")
@pytest.mark.parametrize("times", [1, 2, 3])
def test_interrupted_while_the_last_batch_is_stored_counts_it(store: Store, times: int) -> None:
    ledger = _InterruptedDuring(store.ledger, batch=3, times=times)
    with pytest.raises(ImportInterrupted) as stopped:
        import_lines(ledger, _lines(), batch_size=BATCH)  # type: ignore[arg-type]
    assert stopped.value.result.stored == LINES
    assert _stored(store) == LINES


@pytest.mark.usefixtures("sigint_raises")
@pytest.mark.parametrize("times", [1, 3])
def test_interrupted_mid_file_counts_what_was_stored_and_stops(store: Store, times: int) -> None:
    ledger = _InterruptedDuring(store.ledger, batch=2, times=times)
    with pytest.raises(ImportInterrupted) as stopped:
        import_lines(ledger, _lines(), batch_size=BATCH)  # type: ignore[arg-type]
    assert stopped.value.result.stored == 2 * BATCH
    assert _stored(store) == 2 * BATCH


def _import_in_process(
    store_url: str, file: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture[str]
) -> tuple[int, str, str]:
    """``quarterly import FILE`` in this process: exit status, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["quarterly", "--store", store_url, "import", str(file)])
    with pytest.raises(SystemExit) as exited:
        main.run()
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def _file(tmp_path: Path) -> Path:
    file = tmp_path / "year.jsonl"
    commands = [define(), figure("Q1", 5), close("Q1"), engagement("2016-07-15", id="e1")]
    file.write_text("\n".join(json.dumps(command) for command in commands) + "\n")
    return file


def test_interrupted_after_every_line_is_stored_the_cli_says_so(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture[str]
) -> None:
    def interrupted(_: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the read models catch up

    monkeypatch.setattr(returns, "after_writes", interrupted)
    code, out, err = _import_in_process(store_url, _file(tmp_path), monkeypatch, capsys)
    assert code == 130
    assert "4 stored, 0 already present, 0 refused" in out
    assert "every line was applied" in err
    assert err.rstrip().splitlines()[-1] == "error: interrupted"


def test_an_interrupted_import_publishes_the_seal_of_a_close_it_stored(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture[str]
) -> None:
    def stored_then_interrupted(*args: Any, **kwargs: Any) -> ImportResult:
        raise ImportInterrupted(import_lines(*args, **kwargs))

    seal_log = tmp_path / "seals.jsonl"
    monkeypatch.setenv("QUARTERLY_SEAL_LOG", str(seal_log))
    monkeypatch.setattr(returns, "import_lines", stored_then_interrupted)
    code, out, err = _import_in_process(store_url, _file(tmp_path), monkeypatch, capsys)
    assert code == 130
    assert "4 stored, 0 already present, 0 refused" in out
    assert "published the seal of 2016/17 Q1" in err
    assert [seal.quarter for seal in read_published(seal_log)] == ["Q1"]
