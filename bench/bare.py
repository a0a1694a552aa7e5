"""The bare library, for comparison: a plain eventsourcing ``Application`` recording
one-event aggregates on the same server, with eventsourcing's own recorder (no hash chain,
no receipts, no checks), in tables of its own beside the bench's store."""

from __future__ import annotations

import time
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from infra.store import StoreLocation

NOTE = "x" * 300  # with its names and times, an event of about a stored engagement's size


class Note(Aggregate):
    """One event, and nothing else: the cheapest aggregate eventsourcing records."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class BareApplication(Application[Any]):
    """eventsourcing's Application with nothing added."""


def bare_env(url: str) -> dict[str, str]:
    """eventsourcing's configuration for the bench store at ``url``, with its own recorder
    (a SQLite store gets a file of its own beside the bench's)."""
    location = StoreLocation.parse(url)
    if location.kind == "sqlite":
        assert location.sqlite_path is not None
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": location.sqlite_path + ".bare",
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    env = location.eventsourcing_env()
    del env["APPLICATION_RECORDER_TOPIC"]
    return env


def bare_tables(url: str) -> None:
    """Makes the bare application's tables once, before its writers start: eight processes
    creating them at once can fail in PostgreSQL's catalogue ("tuple concurrently updated")."""
    BareApplication(env=bare_env(url)).close()


def bare_writer(url: str, _writer: int, seconds: float, queue: Any, ready: Any) -> None:
    """One writer process: once ``ready`` (a barrier all writers pass together), a new
    one-event aggregate per transaction for ``seconds`` (at least one), then puts how many
    it stored on ``queue``."""
    # The tables (and eventsourcing's insert function) exist: made once by bare_tables.
    application = BareApplication(env=bare_env(url) | {"CREATE_TABLE": "n"})
    try:
        ready.wait()
        done, deadline = 0, time.monotonic() + seconds
        while done == 0 or time.monotonic() < deadline:
            application.save(Note(NOTE))
            done += 1
    finally:
        application.close()
    queue.put(done)
