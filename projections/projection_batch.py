"""The writes of one batch of events, inside the projection's transaction."""

from __future__ import annotations

import json
import operator
from collections.abc import Sequence
from typing import Any

from projections.database import Cursor

# One encoder for every value: json.dumps with options makes a new one on each call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dump(value: Any) -> str:
    """Values as stored: JSON with sorted keys, so the same value is the same text."""
    if type(value) is int:
        return int.__repr__(value)  # what the encoder writes, without its machinery
    return _ENCODER.encode(value)


CellKey = tuple[str, str, str]  # year, code, cell
CELL_COLUMNS = ("year", "code", "cell", "position", "recorded_at", "value")
HISTORY_COLUMNS = (
    "position",
    "year",
    "code",
    "recorded_at",
    "event",
    "actor",
    "reason",
    "command_id",
    "quarter",
    "detail",
)

_HISTORY_ROW = operator.itemgetter(*HISTORY_COLUMNS)  # a history dict as its row, in C


class ProjectionBatch:
    """The writes of one batch of events, inside the caller's transaction.

    Cells are read once and kept; rows are written with one ``executemany`` per table
    when the batch is flushed, which is what makes a rebuild of a long log fast.
    """

    def __init__(self, cursor: Cursor) -> None:
        self.cursor = cursor
        self._cells: dict[CellKey, Any] = {}
        self._changed: dict[CellKey, tuple[Any, ...]] = {}  # the latest row of each
        self._versions: list[tuple[Any, ...]] = []
        self._history: list[tuple[Any, ...]] = []
        self._rows: dict[tuple[str, tuple[str, ...]], list[Sequence[Any]]] = {}
        self._members: dict[tuple[str, tuple[Any, ...]], bool] = {}
        self._sums: dict[tuple[str, tuple[str, ...], str], dict[tuple[Any, ...], int]] = {}

    def get_cell(self, key: CellKey) -> Any:
        if key not in self._cells:
            self.cursor.execute(
                "SELECT value FROM qr_cells WHERE year = :year AND code = :code AND cell = :cell",
                dict(zip(("year", "code", "cell"), key, strict=True)),
            )
            found = self.cursor.fetchone()
            self._cells[key] = None if found is None else json.loads(found[0])
        return self._cells[key]

    def set_cell(self, key: CellKey, value: Any, position: int, recorded_at: str) -> None:
        self._cells[key] = value
        row = (key[0], key[1], key[2], position, recorded_at, dump(value))
        self._changed[key] = row
        self._versions.append(row)

    def add_history(self, row: dict[str, Any]) -> None:
        self._history.append(_HISTORY_ROW(row))

    def add_row(self, table: str, columns: tuple[str, ...], row: Sequence[Any]) -> None:
        """Appends a row to ``table`` when the batch is flushed."""
        self._rows.setdefault((table, columns), []).append(row)

    def first_member(self, table: str, key: dict[str, Any]) -> bool:
        """True the first time ``key`` joins ``table`` (a set kept in the read model, e.g.
        the councils a target engaged in a quarter); the row is written at flush."""
        columns = tuple(key)
        values = tuple(key.values())
        seen = self._members.get((table, values))
        if seen is None:
            where = " AND ".join(f"{column} = :{column}" for column in columns)
            self.cursor.execute(f"SELECT 1 FROM {table} WHERE {where}", key)  # noqa: S608
            seen = self.cursor.fetchone() is not None
        self._members[(table, values)] = True
        if not seen:
            self.add_row(table, columns, values)
        return not seen

    def add_to_sum(self, table: str, key: dict[str, Any], column: str, amount: int) -> None:
        """Adds ``amount`` to ``column`` of the row of ``table`` at ``key`` (a sum kept in
        the read model, e.g. engagements per target, council and kind); written at flush,
        one upsert per key however many events added to it."""
        sums = self._sums.setdefault((table, tuple(key), column), {})
        values = tuple(key.values())
        sums[values] = sums.get(values, 0) + amount

    def _flush_sums(self) -> None:
        for (table, columns, column), sums in self._sums.items():
            names = ", ".join((*columns, column))
            places = ", ".join(f":{name}" for name in (*columns, column))
            self.cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({places}) "  # noqa: S608
                f"ON CONFLICT ({', '.join(columns)}) "
                f"DO UPDATE SET {column} = {table}.{column} + excluded.{column}",
                [
                    dict(zip((*columns, column), (*values, amount), strict=True))
                    for values, amount in sums.items()
                ],
            )
        self._sums.clear()

    def flush(self) -> None:
        if self._changed:
            self.cursor.executemany(
                """INSERT INTO qr_cells (year, code, cell, position, recorded_at, value)
                   VALUES (:year, :code, :cell, :position, :recorded_at, :value)
                   ON CONFLICT (year, code, cell) DO UPDATE SET position = excluded.position,
                     recorded_at = excluded.recorded_at, value = excluded.value""",
                [dict(zip(CELL_COLUMNS, row, strict=True)) for row in self._changed.values()],
            )
        if self._versions:
            self.cursor.insert_rows("qr_cell_versions", CELL_COLUMNS, self._versions)
        if self._history:
            self.cursor.insert_rows("qr_history", HISTORY_COLUMNS, self._history)
        for (table, columns), rows in self._rows.items():
            self.cursor.insert_rows(table, columns, rows)
        self._flush_sums()
        self._changed.clear()
        self._versions.clear()
        self._history.clear()
        self._rows.clear()
