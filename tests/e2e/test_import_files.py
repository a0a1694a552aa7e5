"""Imports read JSON Lines as specified, whatever wrote the file."""

from __future__ import annotations

import getpass
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from domain.errors import NotFound
from infra.store import open_store
from tests.builders import Command, define, engagement
from tests.builders import comment as a_comment
from tests.e2e.cli import QUARTERLY, quarterly

DEFINE = define()


def comment(n: int, text: str) -> Command:
    return a_comment("Q1", text, id=f"c{n}")


def _lines(*commands: Command) -> list[str]:
    return [json.dumps(command, ensure_ascii=False) for command in commands]


def test_a_line_ends_at_newline_only(store_url: str, tmp_path: Path) -> None:
    """Python's str.splitlines also splits at U+2028, U+2029, NEL and form feed: a file
    split that way is refused line by line with every later number off."""
    file = tmp_path / "separators.jsonl"
    lines = _lines(
        DEFINE,
        comment(1, "paragraph\u2029separator"),
        comment(2, "next\x85line"),  # NEL is a C1 control character: refused, on its line
        comment(3, "ok"),
    )
    file.write_bytes(("\n".join(lines[:3]) + "\nnot json\n" + lines[3] + "\n").encode())
    run = quarterly("import", str(file), store=store_url)
    assert run.code == 1
    assert "line 3: refused" in run.stderr
    assert "line 4: refused" in run.stderr
    assert "3 stored, 0 already present, 2 refused" in run.stdout


def test_u2028_inside_a_comment_is_one_line(store_url: str, tmp_path: Path) -> None:
    file = tmp_path / "u2028.jsonl"
    file.write_text("\n".join(_lines(DEFINE, comment(1, "a\u2028b"), comment(2, "c"))) + "\n")
    run = quarterly("import", str(file), store=store_url)
    assert run.code == 0, run.stderr
    assert "3 stored, 0 already present, 0 refused" in run.stdout


def test_a_byte_order_mark_and_crlf_line_ends_are_read(store_url: str, tmp_path: Path) -> None:
    file = tmp_path / "excel.jsonl"
    file.write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join(_lines(DEFINE, comment(1, "x"))).encode() + b"\r\n"
    )
    run = quarterly("import", str(file), store=store_url)
    assert run.code == 0, run.stderr
    assert "2 stored, 0 already present, 0 refused" in run.stdout


def test_unreadable_lines_are_refused_by_number_and_the_rest_is_read(
    store_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "mixed.jsonl"
    bad = [
        b'{"type": "comment", "id": "x", "text": "\xff\xfe"}',  # not UTF-8
        b"[" * 3000 + b"]" * 3000,  # nested too deeply
        b'{"type": "report_figure", "value": ' + b"9" * 5000 + b"}",  # 5,000 digits
        b'{"type": "report_figure", "value": NaN}',
        b'{"type": "comment", "id": "d", "id": "e"}',  # a key twice
        b"\x00\x01",
    ]
    good = [line.encode() for line in _lines(DEFINE, comment(1, "after the bad lines"))]
    file.write_bytes(b"\n".join([good[0], *bad, good[1]]) + b"\n")
    run = quarterly("import", str(file), store=store_url)
    assert run.code == 1
    for number in range(2, 2 + len(bad)):
        assert f"line {number}: refused" in run.stderr
    assert "internal error" not in run.stderr
    assert f"2 stored, 0 already present, {len(bad)} refused" in run.stdout


def test_a_dry_run_prints_the_counts_of_the_real_run(store_url: str, tmp_path: Path) -> None:
    file = tmp_path / "twice.jsonl"
    twin = comment(1, "first") | {"id": "same"}
    file.write_text("\n".join(_lines(DEFINE, twin, twin | {"text": "other"})) + "\n")
    dry = quarterly("import", str(file), "--dry-run", store=store_url)
    real = quarterly("import", str(file), store=store_url)
    assert "2 would be stored, 0 already present, 1 refused" in dry.stdout
    assert "2 stored, 0 already present, 1 refused" in real.stdout


def test_history_names_who_imported(store_url: str, tmp_path: Path) -> None:
    file = tmp_path / "who.jsonl"
    file.write_text("\n".join(_lines(DEFINE, comment(1, "x") | {"actor": "ada"})) + "\n")
    assert quarterly("import", str(file), store=store_url).code == 0
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(_lines(comment(2, "y"))) + "\n")
    assert quarterly("import", str(other), "--actor", "grace", store=store_url).code == 0
    history = json.loads(
        quarterly(
            "history", "--year", "2016/17", "--code", "PW1", "--format", "json", store=store_url
        ).stdout
    )
    assert [entry["actor"] for entry in history] == [getpass.getuser(), "ada", "grace"]


def test_an_interrupted_import_says_what_it_stored_and_running_it_again_finishes_it(
    store_url: str, tmp_path: Path
) -> None:
    """Ctrl-C part-way: the batch being stored is let finish and counted, the counts are
    printed, exit 130; the same import again stores exactly the lines that were not."""
    lines = 30_000
    file = tmp_path / "year.jsonl"
    file.write_text(
        "\n".join(_lines(DEFINE, *(engagement(id=f"e{n}") for n in range(lines - 1)))) + "\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QUARTERLY_STORE"}
    importing = subprocess.Popen(
        [QUARTERLY, "import", str(file)],
        env=env | {"QUARTERLY_STORE": store_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_a_stored_batch(store_url, importing)
        importing.send_signal(signal.SIGINT)
        out, err = importing.communicate(timeout=120)
    finally:
        importing.kill()
    assert importing.returncode == 130, err
    assert "the lines after those counted were not applied" in err
    assert err.rstrip().splitlines()[-1] == "error: interrupted"
    assert "internal error" not in err
    assert "Traceback" not in err
    counted = re.search(r"(\d+) stored, 0 already present, 0 refused", out)
    assert counted is not None, out
    stored = int(counted[1])
    assert 0 < stored < lines

    again = quarterly("import", str(file), store=store_url, timeout=300)
    assert again.code == 0, again.stderr
    assert f"{lines - stored} stored, {stored} already present, 0 refused" in again.stdout


def _wait_for_a_stored_batch(store_url: str, importing: subprocess.Popen[str]) -> None:
    """Returns once the import has stored something (its first batch, at least)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert importing.poll() is None, "the import ended before it could be interrupted"
        try:
            store = open_store(store_url, create=False)
        except NotFound:  # the import has not made the store yet
            time.sleep(0.1)
            continue
        try:
            if store.ledger.recorder.max_notification_id():
                return
        finally:
            store.close()
        time.sleep(0.1)
    raise AssertionError("the import stored nothing in two minutes")
