"""Direct edits of the stored rows, as a database administrator could make them."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import psycopg

from tests.conftest import PG_DSN


class StoredRows:
    def __init__(self, store_url: str) -> None:
        self.url = store_url

    def _run(
        self, sqlite_sql: list[str], postgres_sql: list[str], params: tuple[object, ...] = ()
    ) -> None:
        if self.url.startswith("sqlite:///"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
                for statement in sqlite_sql:
                    connection.execute(statement, params[: statement.count("?")])
            return
        schema = parse_qs(urlsplit(self.url).query)["schema"][0]
        with psycopg.connect(PG_DSN, autocommit=False) as connection:
            connection.execute(f'SET search_path TO "{schema}"')
            for statement in postgres_sql:
                connection.execute(statement.encode(), params[: statement.count("%s")])

    def change_one_byte(self, position: int) -> None:
        self._run(
            [
                "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), "
                "'\"actor\":', '\"actox\":') AS BLOB) WHERE rowid = ?"
            ],
            [
                "UPDATE quarterly_events SET state = overlay(state placing '\\x78'::bytea "
                "from 20 for 1) WHERE notification_id = %s"
            ],
            (position,),
        )

    def delete(self, position: int) -> None:
        self._run(
            ["DELETE FROM stored_events WHERE rowid = ?"],
            ["DELETE FROM quarterly_events WHERE notification_id = %s"],
            (position,),
        )

    def swap(self, first: int, second: int) -> None:
        self._run(
            [
                f"UPDATE stored_events SET rowid = -1 WHERE rowid = {first}",
                f"UPDATE stored_events SET rowid = {first} WHERE rowid = {second}",
                f"UPDATE stored_events SET rowid = {second} WHERE rowid = -1",
            ],
            [
                f"UPDATE quarterly_events SET notification_id = -1 WHERE notification_id = {first}",
                f"UPDATE quarterly_events SET notification_id = {first} "
                f"WHERE notification_id = {second}",
                f"UPDATE quarterly_events SET notification_id = {second} "
                "WHERE notification_id = -1",
            ],
        )
