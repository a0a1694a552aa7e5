"""The one place the service is put together: settings -> store -> ledger, readers,
projection runner and scheduled jobs. The CLI, the HTTP API and the worker all start here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.persistence import Mapper

from application.audit import ChainedRecorder, Progress, Seal
from application.chain_checkpoint import ChainCheck, check_chain
from application.ledger import ReturnsLedger
from infra.seal_publication import publish_seals
from infra.settings import Settings
from infra.store import Store, StoreLocation, open_store, store_exists
from infra.verification_checkpoints import StoredCheckpoints
from projections.database import ReadModelDatabase
from projections.readers import Readers
from projections.runner import ProjectionRunner
from workers.jobs import JobResult, PendingJobs


@dataclass
class Quarterly:
    """One opened store and everything that works on it."""

    settings: Settings
    store: Store
    runner: ProjectionRunner = field(init=False)
    readers: Readers = field(init=False)
    jobs: PendingJobs = field(init=False)

    def __post_init__(self) -> None:
        self.runner = ProjectionRunner(
            self.store.ledger,
            self.store.read_models,
            batch_size=self.settings.projection_batch_size,
        )
        self.readers = Readers(self.store.read_models)
        self.jobs = PendingJobs(
            self.store.ledger,
            self.store.read_models,
            close_after_days=self.settings.close_after_days,
            remind_before_days=self.settings.remind_before_days,
            after_close=self.publish_seals,
        )

    @property
    def ledger(self) -> ReturnsLedger:
        return self.store.ledger

    @property
    def read_models(self) -> ReadModelDatabase:
        return self.store.read_models

    @property
    def chain(self) -> ChainedRecorder:
        return self.store.chain

    @property
    def mapper(self) -> Mapper[UUID]:
        return self.store.ledger.mapper

    def caught_up(self) -> Readers:
        """Read-your-writes: the read models first apply everything stored so far."""
        self.runner.catch_up()
        return self.readers

    def check_chain(self, *, whole: bool = False, progress: Progress | None = None) -> ChainCheck:
        """The hash chain checked from the last good check on (``whole``: from the first
        event), leaving a checkpoint for the next (``application/chain_checkpoint.py``)."""
        kept = StoredCheckpoints(self.read_models)
        return check_chain(
            self.chain, self.mapper, kept, datetime.now(UTC), whole=whole, progress=progress
        )

    def publish_seals(self) -> list[Seal]:
        """Publishes new seals to QUARTERLY_SEAL_LOG, when the operator set one."""
        return publish_seals(self.chain, self.mapper, self.settings.seal_log)

    def after_writes(self, today: date) -> tuple[list[Seal], list[JobResult]]:
        """What follows stored commands (an import, the demo): read models caught up, new
        seals published, year-end summaries revised where a restatement changed them."""
        self.caught_up()
        return self.publish_seals(), self.jobs.refresh_year_ends(today)

    def close(self) -> None:
        self.store.close()


def open_quarterly(settings: Settings, *, create: bool = True) -> Quarterly:
    """Opens the configured store (see :func:`infra.store.open_store` for what it raises;
    with ``create`` False a store nothing was ever stored in is refused)."""
    return Quarterly(
        settings, open_store(settings.store, create=create, group_commit=settings.group_commit)
    )


@contextmanager
def opened(
    settings: Settings, *, create: bool = False, dry_run: bool = False
) -> Iterator[Quarterly]:
    """The configured store, closed afterwards. A dry run decides against the store and
    stores nothing; against a store that does not exist yet it decides against an empty
    one and makes none."""
    if dry_run and not store_exists(StoreLocation.parse(settings.store)):
        with tempfile.TemporaryDirectory() as folder:
            empty = settings.model_copy(update={"store": f"sqlite:///{folder}/dry-run.db"})
            quarterly = Quarterly(empty, open_store(empty.store, dry_run=True))
            try:
                yield quarterly
            finally:
                quarterly.close()
        return
    quarterly = Quarterly(
        settings,
        open_store(
            settings.store, dry_run=dry_run, create=create, group_commit=settings.group_commit
        ),
    )
    try:
        yield quarterly
    finally:
        quarterly.close()
