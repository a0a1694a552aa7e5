"""Stores the bench makes for itself and removes afterwards: it never touches an existing one."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

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


@contextmanager
def opened(url: str, *, group_commit: bool = True) -> Iterator[Store]:
    """The store at ``url``, open for the block and closed after it."""
    store = open_store(url, group_commit=group_commit)
    try:
        yield store
    finally:
        store.close()
