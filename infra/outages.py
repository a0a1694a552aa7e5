"""Which failures mean "the store is unavailable right now".

An outage is worth retrying: PostgreSQL restarting, a dropped or refused connection, a pool
with no connection to give, a lock not granted in time, SQLite's "database is locked".
Anything else that fails is a bug or a broken store, and is not retried blindly.
"""

from __future__ import annotations

import sqlite3

import psycopg
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError

# SQLite reports contention and an unreachable file as OperationalError, but also a missing
# table or a syntax error: only these messages are outages.
_SQLITE_OUTAGES = ("database is locked", "database table is locked", "unable to open database")


def is_store_outage(error: BaseException) -> bool:
    """True for an error that says the store cannot be used now but may be soon.

    Looks through the explicit causes (``raise ... from``), because eventsourcing re-raises
    driver errors as its own (``eventsourcing.persistence.OperationalError`` from
    ``psycopg.OperationalError``).
    Outages: ``psycopg.OperationalError`` (which includes ``psycopg_pool.PoolTimeout``,
    an administrator shutdown, a lock timeout and a serialisation failure),
    ``psycopg.InterfaceError`` (a closed connection), eventsourcing's ``OperationalError``
    and ``InterfaceError`` raised by PostgreSQL or by its own connection pools, and SQLite's
    ``OperationalError`` only when the database is locked or cannot be opened.
    """
    chain = list(_causes(error))
    for cause in chain:
        if isinstance(cause, sqlite3.Error):
            return isinstance(cause, sqlite3.OperationalError) and str(cause).startswith(
                _SQLITE_OUTAGES
            )
    return any(
        isinstance(
            cause,
            psycopg.OperationalError
            | psycopg.InterfaceError
            | StoreOperationalError
            | StoreInterfaceError,
        )
        for cause in chain
    )


def _causes(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        current = current.__cause__
    return found
