"""Writers to one SQLite file take turns, across threads and processes.

SQLite lets one connection write at a time. A connection that finds the write lock taken
waits in SQLite's busy handler, which sleeps between tries, longer each time, up to 100 ms;
a process that begins its next transaction as soon as it has committed (a server under
load, its group commits back to back) takes the lock again within microseconds, so a writer
in another process can miss every chance for as long as the load lasts. Measured on this
project's 2-core machine: against another process repeating 5 ms write transactions back to
back, a ``BEGIN IMMEDIATE`` waited the whole 20 s the load lasted; two servers on one file
answered some commands after 5 s with "unavailable" (eventsourcing's wait for its writer
connection ran out behind the starved one).

Here a writer first takes an exclusive ``flock`` on a companion file, ``<database>-writer``.
A writer blocked on it is woken by the kernel the moment the holder lets go, so writers take
turns (the same measurement: 6 to 11 ms). SQLite's own lock still guards the data; the turn
only orders who asks for it, so a writer that does not take turns (the ``sqlite3`` shell,
eventsourcing creating its tables) is merely not ordered. The lock goes with the process:
a writer killed mid-transaction leaves no turn behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager

WRITER_SUFFIX = "-writer"
# How long a writer waits for its turn before answering "database is locked" (an outage,
# worth retrying), as long as SQLite's own busy timeout (SQLITE_LOCK_TIMEOUT).
TURN_WAIT_SECONDS = 30.0


class WriterTurns:
    """Turns to write to the SQLite database at ``database`` (a file path).

    An in-memory database (``:memory:``, ``mode=memory``) has one process and no file:
    its turns are free. When the companion file cannot be made (a read-only folder) or is
    not a regular file (a FIFO, a folder put in its place), turns are free too, and
    SQLite's lock alone orders writers.
    """

    def __init__(self, database: str, *, wait_seconds: float = TURN_WAIT_SECONDS) -> None:
        in_memory = ":memory:" in database or "mode=memory" in database
        self.path = None if in_memory else database + WRITER_SUFFIX
        self.wait_seconds = wait_seconds

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Holds this writer's turn for the ``with`` block.

        Raises ``sqlite3.OperationalError`` ("database is locked ...", which
        :func:`infra.outages.is_store_outage` counts as an outage) when no turn comes
        within ``wait_seconds``.
        """
        descriptor = self._open()
        if descriptor is None:
            yield
            return
        taken = _lock_within(descriptor, self.wait_seconds)
        if taken is None:  # the file system has no flock: SQLite's lock alone
            os.close(descriptor)
            yield
            return
        if not taken:
            raise sqlite3.OperationalError(
                f"database is locked: no turn to write to {self.path!r} within "
                f"{self.wait_seconds:g} s (another writer holds it)"
            )
        try:
            yield
        finally:
            os.close(descriptor)  # closing the last descriptor lets go of the lock

    def _open(self) -> int | None:
        if self.path is None:
            return None
        try:
            # Read-only is enough for flock, and lets users who may write the database
            # but did not create this file (another account, group-writable) take turns.
            # Non-blocking: opening a FIFO put in the file's place would otherwise wait
            # for a writer forever.
            descriptor = os.open(
                self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK, 0o666
            )
        except OSError:
            return None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # a FIFO, a device: no turns
            os.close(descriptor)
            return None
        return descriptor


def _lock_within(descriptor: int, seconds: float) -> bool | None:
    """Takes an exclusive ``flock`` on ``descriptor``, waiting at most ``seconds``: True
    when taken, False when time ran out, None when the file system refuses ``flock``.

    ``flock`` cannot time out, so a contended lock is awaited by a helper thread. When time
    runs out first, the descriptor becomes the helper's: it closes it as soon as its lock
    is granted, handing the turn straight on; the caller must not touch it again.
    """
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    except OSError:
        return None
    granted = threading.Event()
    decided = threading.Lock()
    abandoned = False

    def wait() -> None:
        with contextlib.suppress(OSError):  # then SQLite's lock alone orders this writer
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        with decided:
            if abandoned:
                os.close(descriptor)
            else:
                granted.set()

    threading.Thread(target=wait, name="sqlite-writer-turn", daemon=True).start()
    if granted.wait(seconds):
        return True
    with decided:
        if granted.is_set():
            return True
        abandoned = True
    return False
