"""Stores for tests: a fresh SQLite file or a fresh PostgreSQL schema per test.

PostgreSQL is never skipped: if it is unreachable, the tests fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from infra.store import Store, open_store

PG_DSN = os.environ.get("QUARTERLY_TEST_POSTGRES", "postgresql://root@127.0.0.1:5432/test")


def _drop_schema(schema: str) -> None:
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'quarterly.db'}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    try:
        yield f"{PG_DSN}?schema={schema}"
    finally:
        _drop_schema(schema)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
