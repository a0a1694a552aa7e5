"""``quarterly worker``: APScheduler running the due jobs and the projection catch-up until
SIGTERM or SIGINT, which stop it after the job in hand."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from time import monotonic
from types import FrameType

import structlog
from apscheduler.schedulers.background import BackgroundScheduler

from projections.runner import ProjectionRunner
from workers.jobs import PendingJobs

log = structlog.get_logger("quarterly.worker")

Clock = Callable[[], date]


def system_clock() -> date:
    return datetime.now(UTC).date()


def rehearsal_clock(start: date, day_seconds: float) -> Clock:
    """Starts at ``start`` and moves one day every ``day_seconds``: rehearse a period fast."""
    began = monotonic()

    def today() -> date:
        return start + timedelta(days=int((monotonic() - began) / day_seconds))

    return today


def run_until_stopped(
    pending: PendingJobs,
    runner: ProjectionRunner,
    clock: Clock,
    *,
    interval: float,
    catch_up_interval: float,
    chain_check: Callable[[], object] | None = None,
    chain_check_hours: float = 24,
) -> None:
    """Runs the due jobs every ``interval`` s and the projection catch-up every
    ``catch_up_interval`` s, and ``chain_check`` (the whole hash chain recomputed) at start
    and every ``chain_check_hours``, until SIGTERM or SIGINT."""
    stopping = threading.Event()

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("worker_stopping", signal=signal.Signals(signum).name)
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler = BackgroundScheduler(timezone=UTC)
    now = datetime.now(UTC)
    _every(scheduler, "pending_jobs", lambda: pending.run(clock()), seconds=interval, first=now)
    _every(scheduler, "projection_catch_up", runner.catch_up, seconds=catch_up_interval)
    if chain_check is not None:
        _every(scheduler, "chain_check", chain_check, seconds=chain_check_hours * 3600, first=now)
    scheduler.start()
    log.info("worker_started", interval_s=interval, catch_up_interval_s=catch_up_interval)
    try:
        stopping.wait()
    finally:
        scheduler.shutdown(wait=True)  # lets the job in hand finish
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("worker_stopped")


def _every(
    scheduler: BackgroundScheduler,
    name: str,
    job: Callable[[], object],
    *,
    seconds: float,
    first: datetime | None = None,
) -> None:
    """Runs ``job`` every ``seconds``, never two at once, a missed run made up once; first
    at ``first`` (None: one interval from now)."""
    timing = {} if first is None else {"next_run_time": first}  # None would pause the job
    scheduler.add_job(
        job, "interval", seconds=seconds, id=name, max_instances=1, coalesce=True, **timing
    )
