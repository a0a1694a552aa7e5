"""What the read models need of a database; ``infra`` provides SQLite and PostgreSQL.

SQL here is written once for both: ``:name`` parameters, ``ON CONFLICT`` upserts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol


class Cursor(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None: ...

    def executemany(self, sql: str, params: Sequence[Mapping[str, Any]]) -> None: ...

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Appends many rows at once (COPY on PostgreSQL)."""
        ...

    def fetchone(self) -> Sequence[Any] | None: ...

    def fetchall(self) -> list[Sequence[Any]]: ...


class ReadModelDatabase(Protocol):
    dialect: str  # "sqlite" or "postgresql"

    def transaction(self, *, write: bool = False) -> AbstractContextManager[Cursor]:
        """A transaction; ``write=True`` takes the writer's lock at the start."""
        ...

    def close(self) -> None: ...


def recorded_time(moment: datetime) -> str:
    """Recorded times as fixed-width UTC text, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def rows(cursor: Cursor, sql: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
    cursor.execute(sql, params)
    yield from cursor.fetchall()
