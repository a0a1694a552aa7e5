"""The bench's own rules: a figure of 0 is a failed measurement, and its sample year is
accepted whole (a refused command would be measured as work done)."""

from __future__ import annotations

from datetime import datetime

from application.ledger import Outcome
from bench import Figure, failed_measurements
from bench.bare import NOTE, BareApplication, Note, bare_env
from bench.workload import load_history, year_commands
from tests.unit.ledgers import event_count, in_memory, one_by_one


def test_a_benchmark_figure_of_zero_is_a_failed_measurement() -> None:
    measured = Figure("online", 830.5, "commands/s", 6600.0, 0.126, "")
    latency = Figure("peak memory", 91.0, "MB", None, None, "")
    zero = Figure("HTTP recording", 0.0, "commands/s", 830.5, 0.0, "")
    no_baseline = Figure("bulk import", 9500.0, "commands/s", 0.0, 0.0, "")
    assert failed_measurements([measured, latency]) == []
    assert failed_measurements([measured, zero, no_baseline]) == ["HTTP recording", "bulk import"]


def test_every_command_of_the_sample_year_is_stored() -> None:
    outcomes = one_by_one(in_memory(), year_commands(40, prefix="t"))
    assert outcomes == [Outcome.STORED] * len(outcomes)


def test_a_loaded_history_holds_about_the_events_asked_for() -> None:
    ledger, middle = in_memory(), list[str]()
    commands = load_history(ledger, 3000, middle=middle)
    assert commands == len(list(year_commands(2400)))
    assert 0.9 * 3000 <= event_count(ledger) <= 3000
    assert datetime.fromisoformat(middle[0]).tzinfo is not None


def test_the_bare_library_records_with_its_own_recorder_beside_the_bench_store() -> None:
    on_server = bare_env("postgresql://root@127.0.0.1:5432/test?schema=quarterly_bench_x")
    assert "APPLICATION_RECORDER_TOPIC" not in on_server  # eventsourcing's own, no chain
    assert on_server["POSTGRES_SCHEMA"] == "quarterly_bench_x"
    in_folder = bare_env("sqlite:////tmp/bench/bench.db")
    assert in_folder["SQLITE_DBNAME"] == "/tmp/bench/bench.db.bare"
    application = BareApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    note = Note(NOTE)
    application.save(note)
    assert application.repository.get(note.id).text == NOTE
