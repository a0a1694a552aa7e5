"""One server process's hold on the store, and the projection that follows its log."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import structlog

from application.access import TokenCache
from application.commands import BaseCommand, CloseQuarter
from application.ledger import Outcome
from infra.bootstrap import Quarterly, open_quarterly
from infra.logging import error_fields
from infra.outages import is_store_outage
from infra.settings import Settings
from infra.web.sessions import SessionStore
from projections.readers import Readers

log = structlog.get_logger("quarterly.http")


class Service:
    """What one server process holds: the service as ``infra.bootstrap`` puts it together,
    a thread that follows the log into the read models, and a queue for SQLite's writer.

    The follower remembers whether its last catch-up failed (``projection_error``, since
    ``projection_failing_since``), so that the health check can say so; it logs when it
    starts failing and when it recovers, not every half second in between.
    """

    def __init__(self, quarterly: Quarterly, *, token_cache_seconds: float = 5.0) -> None:
        self.quarterly = quarterly
        # Each process its own cache; a revoke reaches every one at once (see TokenCache).
        self.tokens = TokenCache(quarterly.ledger, seconds=token_cache_seconds)
        # A server answers an outage within seconds rather than waiting on the pool.
        quarterly.store.answer_outages_soon()
        # The web pages' sessions, kept in the store so that every process knows them.
        self.sessions = SessionStore(quarterly.read_models, quarterly.ledger)
        self.projection_error: str | None = None
        self.projection_failing_since: datetime | None = None
        self._stop = threading.Event()
        self._follower = threading.Thread(target=self._follow, name="projection", daemon=True)
        # SQLite has one writer: queue writes here rather than in eventsourcing's connection
        # pool, which gives up on a waiting writer after 5 seconds.
        self._sqlite_writer = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> Service:
        """The configured store, opened (and made, if new) for serving."""
        return cls(open_quarterly(settings), token_cache_seconds=settings.token_cache_seconds)

    @property
    def store_kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.quarterly.store.location.kind

    def execute(self, command: BaseCommand) -> Outcome:
        """Stores one command (decided by the ledger), then does what follows a stored one."""
        ledger = self.quarterly.ledger
        if self.store_kind != "sqlite" or hasattr(ledger.recorder, "group_commit"):
            # With group commit, writes already wait their turn in the recorder's queue,
            # and waiting together is what lets them share a transaction.
            outcome = ledger.execute(command)
        else:
            with self._sqlite_writer:
                outcome = ledger.execute(command)
        if outcome is Outcome.STORED:
            self._after_stored(command)
        return outcome

    def _after_stored(self, command: BaseCommand) -> None:
        """A close's seal is published at once; a change to a year whose year-end summary
        is stored (a restatement, an amended target) revises the summary if it changed. The
        command is stored either way: a failure here is logged, and the worker does the same
        on its next run."""
        try:
            if isinstance(command, CloseQuarter):
                self.quarterly.publish_seals()
            year = getattr(command, "year", None)
            # As the command's decision read it: no second load of the reporting year.
            if (
                isinstance(year, str)
                and self.quarterly.ledger.year_summary_as_read(year) is not None
            ):
                self.quarterly.runner.catch_up()
                self.quarterly.jobs.refresh_year_end(year)
        except Exception as error:
            log.error("after_command_failed", command_id=command.id, **error_fields(error))

    def start(self) -> None:
        """Starts following the log."""
        self._follower.start()

    def _follow(self) -> None:
        """Keeps the read models close behind the log, so reads rarely have to wait."""
        while not self._stop.wait(0.5):
            try:
                self.quarterly.runner.catch_up()
            except Exception as error:
                self._follow_failed(error)
            else:
                self._follow_succeeded()

    def _follow_failed(self, error: Exception) -> None:
        fields = error_fields(error)
        described = f"{fields['error_type']}: {fields['error']}"
        if described != self.projection_error:
            log.warning("projection_follow_failed", outage=is_store_outage(error), **fields)
        self.projection_error = described
        if self.projection_failing_since is None:
            self.projection_failing_since = datetime.now(UTC)

    def _follow_succeeded(self) -> None:
        if self.projection_failing_since is not None:
            log.info(
                "projection_follow_recovered",
                failing_since=self.projection_failing_since.isoformat(),
            )
        self.projection_error = None
        self.projection_failing_since = None

    def caught_up(self) -> Readers:
        """Read-your-writes: the read models first reach the log's head as it is now."""
        return self.quarterly.caught_up()

    def close(self) -> None:
        """Stops the follower, then closes the store."""
        self._stop.set()
        if self._follower.is_alive():
            self._follower.join(timeout=10)
        self.quarterly.close()
