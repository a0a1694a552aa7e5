"""Auditors' replay through the command line: as-at, diff, history, verify, export, restore."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from tests.builders import close, comment, define, jsonl, rag
from tests.builders import figure as quarter_figure
from tests.conftest import PG_DSN, _drop_schema
from tests.e2e.cli import quarterly

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published_return_2016_17.jsonl"
CORRECTIONS = [
    close("Q1"),
    quarter_figure(
        "Q1",
        27,
        code="PC",
        restatement_reason="two late peer challenge reports",
        actor="peer.support@lga.example",
    ),
    quarter_figure("Q2", 90, code="HALF", reason="Q2 count corrected", actor="officer"),
    rag("Q2", "amber", code="ZERO", reason="recovery plan agreed", actor="officer"),
]


def _report(store: str, *extra: str) -> str:
    run = quarterly("report", "--year", "2016/17", "--format", "json", *extra, store=store)
    assert run.code == 0, run.stderr
    return run.stdout


def test_as_at_reproduces_the_report_taken_then_and_diff_names_the_corrections(
    store_url: str, tmp_path: Path
) -> None:
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    taken = _report(store_url)
    moment = datetime.now(UTC).isoformat(timespec="microseconds")
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text(jsonl(CORRECTIONS))
    assert quarterly("import", str(corrections), store=store_url).code == 0

    as_at = _report(store_url, "--as-at", moment)
    as_at_document = json.loads(as_at)
    assert as_at_document["as_at"] is not None
    assert as_at.replace(json.dumps(as_at_document["as_at"]), "null", 1) == taken
    current = json.loads(_report(store_url))
    pc = next(t for t in current["targets"] if t["code"] == "PC")
    assert pc["quarters"]["Q1"] == 27

    run = quarterly(
        "diff", "--year", "2016/17", "--from", moment, "--format", "json", store=store_url
    )
    assert run.code == 0, run.stderr
    changed = {t["code"]: t for t in json.loads(run.stdout)["targets"]}
    assert set(changed) == {"PC", "HALF", "ZERO"}
    pc_changes = {c["field"]: (c["before"], c["after"]) for c in changed["PC"]["changes"]}
    assert pc_changes["quarters.Q1"] == (25, 27)
    assert pc_changes["total"] == (119, 121)
    [pc_event] = changed["PC"]["events"]
    assert pc_event["actor"] == "peer.support@lga.example"
    assert pc_event["restatement_reason"] == "two late peer challenge reports"
    assert changed["HALF"]["events"][0]["reason"] == "Q2 count corrected"
    zero = {c["field"]: (c["before"], c["after"]) for c in changed["ZERO"]["changes"]}
    assert zero["rag_by_quarter.Q2"] == ("red", "amber")
    table = quarterly("diff", "--year", "2016/17", "--from", moment, store=store_url)
    assert "recovery plan agreed" in table.stdout


def test_history_shows_every_commentary_edit_with_author(store_url: str, tmp_path: Path) -> None:
    lines = [define("A1", title="A", target=None)]
    lines += [comment("Q1", f"version {n}", code="A1", actor=f"author{n}") for n in range(3)]
    file = tmp_path / "comments.jsonl"
    file.write_text(jsonl(lines))
    assert quarterly("import", str(file), store=store_url).code == 0
    run = quarterly(
        "history", "--year", "2016/17", "--code", "A1", "--format", "json", store=store_url
    )
    edits = [e for e in json.loads(run.stdout) if e["event"].endswith("CommentaryWritten")]
    assert [(e["actor"], e["new"]) for e in edits] == [
        ("author0", "version 0"),
        ("author1", "version 1"),
        ("author2", "version 2"),
    ]
    assert all(e["recorded_at"] for e in edits)


def test_verify_ok_and_tampered_never_tracebacks(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'q.db'}"
    assert quarterly("import", str(PUBLISHED), store=store).code == 0
    ok = quarterly("verify", store=store)
    assert ok.code == 0
    assert ok.stdout.startswith("OK: 134 events")  # each command: its event and a receipt
    assert "head digest" in ok.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "q.db") as connection:
        connection.execute("UPDATE stored_events SET originator_id = 'garbage' WHERE rowid = 9")
    bad = quarterly("verify", store=store)
    assert bad.code != 0
    assert "event 9" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_export_from_sqlite_restores_into_postgresql_identically(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    assert quarterly("demo", store=source).code == 0
    export = tmp_path / "events.jsonl"
    assert quarterly("export-events", str(export), store=source).code == 0
    schema = f"restore_{uuid.uuid4().hex[:12]}"
    target = f"{PG_DSN}?schema={schema}"
    try:
        restored = quarterly("restore", str(export), store=target)
        assert restored.code == 0, restored.stderr
        assert _report(target) == _report(source)
        for code in ("PS1", "EP1", "SC1"):
            assert (
                quarterly(
                    "history", "--year", "2016/17", "--code", code, "--format", "json", store=target
                ).stdout
                == quarterly(
                    "history", "--year", "2016/17", "--code", code, "--format", "json", store=source
                ).stdout
            )
        head = quarterly("verify", store=source).stdout.split("head digest ")[1]
        assert quarterly("verify", store=target).stdout.split("head digest ")[1] == head
        assert (
            quarterly("seals", "--format", "json", store=target).stdout
            == quarterly("seals", "--format", "json", store=source).stdout
        )
        again = quarterly("restore", str(export), store=target)
        assert again.code == 0  # the same history is already there: nothing to add
        other = tmp_path / "other.db"
        assert quarterly("import", str(PUBLISHED), store=f"sqlite:///{other}").code == 0
        refused = quarterly("restore", str(export), store=f"sqlite:///{other}")
        assert refused.code != 0
        assert "empty store" in refused.stderr
    finally:
        _drop_schema(schema)


def test_an_edited_export_is_refused_at_its_line(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    assert quarterly("import", str(PUBLISHED), store=source).code == 0
    export = tmp_path / "events.jsonl"
    assert quarterly("export-events", str(export), store=source).code == 0
    lines = export.read_text().splitlines()
    event = json.loads(lines[5])
    event["originator_version"] += 1
    lines[5] = json.dumps(event)
    export.write_text("\n".join(lines) + "\n")
    run = quarterly("restore", str(export), store=f"sqlite:///{tmp_path / 'new.db'}")
    assert run.code != 0
    assert "line 6" in run.stderr
    assert not (tmp_path / "new.db").exists()  # the export is checked before a store is made


def _bench_schemas() -> set[str]:
    import psycopg

    with psycopg.connect(PG_DSN) as connection:
        rows = connection.execute(
            "SELECT schema_name FROM information_schema.schemata "
            "WHERE schema_name LIKE 'quarterly_bench_%'"
        ).fetchall()
    return {row[0] for row in rows}


def test_bench_reports_every_figure_and_cleans_up(store_url: str) -> None:
    # Only the schemas this run made count: a bench killed on the same server earlier
    # (SIGKILL cannot clean up) must not fail this one.
    before = _bench_schemas() if store_url.startswith("postgresql") else set()
    run = quarterly(
        "bench",
        "--store",
        store_url,
        "--events",
        "10000",
        "--seconds",
        "0.5",
        "--format",
        "json",
        store=None,
        # Seven measurements with their baselines, four of them 8-writer runs: on a loaded
        # 2-core machine this takes minutes, and a bench killed by the timeout cannot clean up.
        timeout=600,
    )
    assert run.code == 0, run.stderr
    figures = json.loads(run.stdout)
    names = " | ".join(f["name"] for f in figures)
    for expected in (
        "online recording",
        "bulk import",
        "rebuild",
        "peak memory",
        "report, 10,000",
        "as-at report, 10,000",
        "HTTP recording",
    ):
        assert expected in names
    for figure in figures:
        assert set(figure) >= {"name", "value", "unit", "baseline", "ratio"}
        if figure["baseline"] is not None:
            assert figure["value"] > 0
            assert figure["baseline"] > 0
    if store_url.startswith("postgresql"):
        assert _bench_schemas() - before == set()


def test_export_to_stdout_is_the_export_a_file_gets(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    assert quarterly("import", str(PUBLISHED), store=source).code == 0
    export = tmp_path / "events.jsonl"
    assert quarterly("export-events", str(export), store=source).code == 0
    piped = quarterly("export-events", "-", store=source)
    assert piped.code == 0, piped.stderr
    assert piped.stdout == export.read_text()
    assert "exported the store's events to stdout" in piped.stderr
    assert not (tmp_path / "-").exists()


def test_an_empty_or_mistyped_seal_is_refused_not_ignored(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'q.db'}"
    assert quarterly("import", str(PUBLISHED), store=store).code == 0
    for seal in ("", "  ", "abc"):
        run = quarterly("verify", "--seal", seal, store=store)
        assert run.code == 2, (seal, run.stdout)
        assert run.stderr.startswith("error: seal: "), run.stderr
