"""Stores the bench makes for itself and removes afterwards: it never touches an existing one."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from infra.store import Store, StoreLocation, open_store


@contextmanager
def bench_store(server_url: str) -> Iterator[str]:
    """A store URL that exists only for the bench (a fresh PostgreSQL schema on the server
    of ``server_url``, or a SQLite file in a temporary folder); removed afterwards."""
    location = StoreLocation.parse(server_url)
    if location.kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="quarterly-bench-")
        try:
            yield f"sqlite:///{os.path.join(folder, 'bench.db')}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    schema = f"quarterly_bench_{uuid.uuid4().hex[:12]}"
    base = server_url.split("?")[0]
    try:
        yield f"{base}?schema={schema}"
    finally:
        with psycopg.connect(**location.psycopg_conninfo(), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # our own name


def settle(url: str) -> None:
    """Brings a store the bench has just loaded to a steady state before reads are timed:
    on PostgreSQL, ``VACUUM ANALYZE`` of each of its tables (a store in use is vacuumed
    by autovacuum; right after a bulk load, autovacuum would otherwise be doing it on the
    same two cores while the reads are timed). Nothing for SQLite."""
    location = StoreLocation.parse(url)
    if location.kind != "postgresql" or location.schema is None:
        return
    with psycopg.connect(**location.psycopg_conninfo(), autocommit=True) as connection:
        tables = [
            str(row[0])
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (location.schema,)
            )
        ]
        for table in tables:
            connection.execute(
                sql.SQL("VACUUM (ANALYZE) {0}.{1}").format(
                    sql.Identifier(location.schema), sql.Identifier(table)
                )
            )


@contextmanager
def opened(url: str, *, group_commit: bool = True) -> Iterator[Store]:
    """The store at ``url``, open for the block and closed after it."""
    store = open_store(url, group_commit=group_commit)
    try:
        yield store
    finally:
        store.close()
