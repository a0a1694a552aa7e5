"""The command line as a user runs it, on both stores."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.builders import close, define, engagement, figure, jsonl, rag
from tests.builders import risk as risk_assessment
from tests.e2e.cli import QUARTERLY, quarterly

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published_return_2016_17.jsonl"


def test_demo_on_the_embedded_store_prints_the_return(tmp_path: Path) -> None:
    run = quarterly("demo", store=None, cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "Quarterly return 2016/17" in run.stdout
    assert "Improvement through peer support" in run.stdout
    assert "restated after the quarter closed" in run.stdout
    assert (tmp_path / "quarterly.db").exists()
    again = quarterly("report", "--year", "2016/17", "--format", "json", store=None, cwd=tmp_path)
    document = json.loads(again.stdout)
    assert 15 <= len(document["targets"]) <= 25
    assert {t["aggregation"] for t in document["targets"]} == {
        "sum",
        "latest",
        "max",
        "distinct_councils",
    }
    assert document["summary"]["amber"] > 0
    assert document["summary"]["red"] > 0
    assert any(t["restatements"] for t in document["targets"])


def test_published_returns_are_reproduced_exactly(store_url: str) -> None:
    imported = quarterly("import", str(PUBLISHED), store=store_url)
    assert imported.code == 0, imported.stderr
    document = json.loads(
        quarterly("report", "--year", "2016/17", "--format", "json", store=store_url).stdout
    )
    expected = json.loads((DATA / "published_return_2016_17.expected.json").read_text())
    actual = [
        {key: t[key] for key in ("code", "quarters", "total", "percent_achieved", "rag")}
        for t in document["targets"]
    ]
    assert actual == expected


def test_importing_twice_stores_nothing_and_the_report_is_byte_identical(
    store_url: str, tmp_path: Path
) -> None:
    first = quarterly("import", str(PUBLISHED), store=store_url)
    assert first.code == 0
    lines = len(PUBLISHED.read_text().splitlines())
    assert f"{lines} stored, 0 already present, 0 refused" in first.stdout
    report = quarterly("report", "--year", "2016/17", "--format", "json", store=store_url)
    second = quarterly("import", str(PUBLISHED), store=store_url)
    assert second.code == 0
    assert f"0 stored, {lines} already present, 0 refused" in second.stdout
    again = quarterly("report", "--year", "2016/17", "--format", "json", store=store_url)
    assert again.stdout.encode() == report.stdout.encode()

    changed = tmp_path / "changed.jsonl"
    first_line = json.loads(PUBLISHED.read_text().splitlines()[0])
    changed.write_text(json.dumps(first_line | {"target": 999}) + "\n")
    conflict = quarterly("import", str(changed), store=store_url)
    assert conflict.code != 0
    assert "line 1" in conflict.stderr
    assert "already stored with different content" in conflict.stderr


def test_a_bad_line_is_named_and_only_it_is_refused(store_url: str, tmp_path: Path) -> None:
    good = [define("A1", title="A", target=10), figure("Q1", 4, code="A1")]
    bad = figure("Q2", -3, code="A1")
    file = tmp_path / "bad.jsonl"
    file.write_text(jsonl([*good, bad]) + "{not json\n")
    run = quarterly("import", str(file), store=store_url)
    assert run.code != 0
    assert "line 3" in run.stderr
    assert "value" in run.stderr
    assert "line 4" in run.stderr
    assert "not valid JSON" in run.stderr
    assert "2 stored, 0 already present, 2 refused" in run.stdout
    document = json.loads(
        quarterly("report", "--year", "2016/17", "--format", "json", store=store_url).stdout
    )
    assert document["targets"][0]["quarters"] == {"Q1": 4, "Q2": None, "Q3": None, "Q4": None}


def test_every_kind_of_bad_input_is_refused_with_its_field(store_url: str, tmp_path: Path) -> None:
    lines = [
        define("A1", title="A", target=None),
        figure("Q1", 1, code="ZZ"),
        engagement("2015-01-01", code="A1"),
        risk_assessment("R1", 0, 2),
        risk_assessment("R1", 6, 2),
        figure("Q1", 1, code="A1", year="2016/18"),
        rag("Q5", "green", code="A1"),
        close("Q1"),
        figure("Q1", 1, code="A1"),
    ]
    file = tmp_path / "bad.jsonl"
    file.write_text(jsonl(lines))
    run = quarterly("import", str(file), store=store_url)
    assert run.code != 0
    refusals = {
        line.split(":")[0]: line for line in run.stderr.splitlines() if line.startswith("line ")
    }
    assert "code" in refusals["line 2"]
    assert "date" in refusals["line 3"]
    assert "impact" in refusals["line 4"]
    assert "impact" in refusals["line 5"]
    assert "year" in refusals["line 6"]
    assert "quarter" in refusals["line 7"]
    assert "closed" in refusals["line 9"]
    assert "2 stored, 0 already present, 7 refused" in run.stdout


def test_dry_run_stores_nothing(store_url: str) -> None:
    run = quarterly("import", "--dry-run", str(PUBLISHED), store=store_url)
    assert run.code == 0, run.stderr
    assert "nothing was stored" in run.stdout
    report = quarterly("report", "--year", "2016/17", "--format", "json", store=store_url)
    assert report.code == 2
    assert "there is no store" in report.stderr  # not even an empty one was made
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    again = quarterly("import", "--dry-run", str(PUBLISHED), store=store_url)
    assert "0 would be stored" in again.stdout


def test_restatement_after_close_is_listed(store_url: str, tmp_path: Path) -> None:
    file = tmp_path / "restate.jsonl"
    file.write_text(
        jsonl(
            [
                define("A1", title="A", target=10),
                figure("Q1", 4, code="A1"),
                close("Q1"),
                figure("Q1", 5, code="A1", restatement_reason="late return from Kent"),
            ]
        )
    )
    assert quarterly("import", str(file), store=store_url).code == 0
    document = json.loads(
        quarterly("report", "--year", "2016/17", "--format", "json", store=store_url).stdout
    )
    [target] = document["targets"]
    assert target["quarters"]["Q1"] == 5
    assert [r["restatement_reason"] for r in target["restatements"]] == ["late return from Kent"]
    table = quarterly("report", "--year", "2016/17", store=store_url)
    assert "late return from Kent" in table.stdout


def test_registers_and_other_formats(store_url: str, tmp_path: Path) -> None:
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    csv_run = quarterly("report", "--year", "2016/17", "--format", "csv", store=store_url)
    assert csv_run.stdout.splitlines()[0].startswith("year,theme,code")
    xlsx = tmp_path / "return.xlsx"
    run = quarterly(
        "report", "--year", "2016/17", "--format", "xlsx", "--out", str(xlsx), store=store_url
    )
    assert run.code == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    assert json.loads(quarterly("milestones", "--format", "json", store=store_url).stdout) == []
    rebuild = quarterly("rebuild", store=store_url)
    assert rebuild.code == 0
    assert "rebuilt read models from" in rebuild.stdout


def test_failures_are_one_clear_line(tmp_path: Path) -> None:
    bad_store = quarterly("report", "--year", "2016/17", store="mysql://x")
    assert bad_store.code != 0
    assert "store" in bad_store.stderr
    assert "Traceback" not in bad_store.stderr
    store = f"sqlite:///{tmp_path / 'q.db'}"
    bad_year = quarterly("report", "--year", "2016/18", store=store)
    assert bad_year.code != 0
    assert "year" in bad_year.stderr
    bad_time = quarterly("report", "--year", "2016/17", "--as-at", "yesterday", store=store)
    assert bad_time.code != 0
    assert "as-at" in bad_time.stderr
    missing = quarterly("import", str(tmp_path / "nope.jsonl"), store=store)
    assert missing.code != 0
    assert "nope.jsonl" in missing.stderr
    unreachable = quarterly(
        "report", "--year", "2016/17", store="postgresql://root@127.0.0.1:1/none"
    )
    assert unreachable.code != 0
    assert "Traceback" not in unreachable.stderr


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["report"], "--year"),
        (["report", "--year", "2016/17", "--format", "pdf"], "'pdf'"),
        (["report", "--year", "2016/17", "--bogus"], "--bogus"),
        (["nosuch"], "'nosuch'"),
        (["board-pack", "--year", "2016/17", "--format", "pdf"], "--out"),
        (["token", "create"], "--role"),
        (["serve", "--port", "99999"], "must be 65535 or less"),
        (["bench", "--events", "5"], "must be 10000 or more"),
        (["worker", "--interval", "soon"], "must be a number"),
        (["report", "--year"], "see `quarterly report --help`"),
    ],
    ids=[
        "missing-option",
        "bad-choice",
        "unknown-option",
        "unknown-command",
        "no-out",
        "nested",
        "port-range",
        "bound",
        "number",
        "no-value",
    ],
)
def test_a_usage_error_is_one_line_naming_the_option_and_exits_2(
    args: list[str], named: str, tmp_path: Path
) -> None:
    run = quarterly(*args, store=f"sqlite:///{tmp_path / 'q.db'}")
    assert run.code == 2, run.stderr
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith("error: ")
    assert named in line
    assert "--help" in line


def test_take_up_without_a_register_shows_what_there_is_and_says_why(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'q.db'}"
    year = tmp_path / "year.jsonl"
    year.write_text(jsonl([define(), engagement("2016-05-01", council="Kent")]))
    assert quarterly("import", str(year), store=store).code == 0
    run = quarterly("take-up", "--year", "2016/17", store=store)
    assert run.code == 0, run.stderr
    assert "Take-up 2016/17" in run.stdout
    assert run.stderr.startswith("note: no council register is loaded")
    assert "error" not in run.stderr


def test_risks_json_bands_every_score(store_url: str, tmp_path: Path) -> None:
    file = tmp_path / "risks.jsonl"
    file.write_text(
        jsonl(
            risk_assessment(f"R{i}{k}", i, k, title=f"Risk {i}x{k}")
            for i in range(1, 6)
            for k in range(1, 6)
        )
    )
    assert quarterly("import", str(file), store=store_url).code == 0
    found = json.loads(quarterly("risks", "--format", "json", store=store_url).stdout)
    assert len(found) == 25
    bands = {
        "green": range(1, 6),
        "yellow": range(6, 11),
        "amber": range(11, 16),
        "red": range(16, 26),
    }
    for risk in found:
        # The contract's keys, in its order; the register's additions follow them.
        assert list(risk)[:6] == ["ref", "title", "impact", "likelihood", "score", "band"]
        assert set(risk) - {"ref", "title", "impact", "likelihood", "score", "band"} <= {
            "owner", "category", "mitigation", "previous_score", "direction_of_travel",
            "assessed_at",
        }  # fmt: skip
        assert risk["score"] == risk["impact"] * risk["likelihood"]
        assert risk["score"] in bands[risk["band"]]


def _in_a_shell(line: str) -> subprocess.CompletedProcess[str]:
    """``quarterly`` run by a shell (a pipe, a closed descriptor), as a script would."""
    return subprocess.run(
        f"{QUARTERLY} {line}", shell=True, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_reader_that_leaves_early_ends_the_command_quietly(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'q.db'}"
    assert quarterly("import", str(PUBLISHED), store=store).code == 0
    for command in ("report --year 2016/17", "export-events -"):
        done = _in_a_shell(f"--store {store} {command} | head -c 10")
        assert len(done.stdout) == 10
        assert done.stderr == "", done.stderr  # no "Broken pipe", no traceback


def test_closed_stdout_is_one_line(tmp_path: Path) -> None:
    done = _in_a_shell(f"--store sqlite:///{tmp_path / 'q.db'} seals >&-")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: standard output is closed: redirect it to a file or /dev/null"
    ]
