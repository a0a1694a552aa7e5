"""Direct edits of the stored rows, as a database administrator could make them."""

from __future__ import annotations

import sqlite3
from typing import Any
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

    def events_table(self) -> str:
        return "stored_events" if self.url.startswith("sqlite:///") else "quarterly_events"

    def replace_in_event(self, position: int, old: bytes, new: bytes) -> None:
        """Rewrites an event's stored JSON as someone with write access could."""
        self._run(
            [
                "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), ?, ?) "
                "AS BLOB) WHERE rowid = ?"
            ],
            [
                "UPDATE quarterly_events SET state = convert_to(replace("
                "convert_from(state, 'UTF8'), %s, %s), 'UTF8') WHERE notification_id = %s"
            ],
            (old.decode(), new.decode(), position),
        )

    def rewrite_chain(self) -> None:
        """Recomputes the whole chain table over the stored rows: what someone covering
        their tracks would do."""
        from domain.hash_chain import GENESIS, link

        table = self.events_table()
        rows = self._select(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
            "ORDER BY rowid",
            f"SELECT notification_id, originator_id::text, originator_version, topic, state "
            f"FROM {table} ORDER BY notification_id",
        )
        previous, links = GENESIS, []
        for position, originator, version, topic, state in rows:
            previous = link(previous, str(originator), int(version), str(topic), bytes(state))
            links.append((int(position), previous))
        if self.url.startswith("sqlite:///"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
                connection.execute(f"DELETE FROM {table}_chain")
                connection.executemany(f"INSERT INTO {table}_chain VALUES (?, ?)", links)
            return
        schema = parse_qs(urlsplit(self.url).query)["schema"][0]
        with psycopg.connect(PG_DSN) as pg, pg.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{schema}"')
            cursor.execute(f"DELETE FROM {table}_chain".encode())
            cursor.executemany(f"INSERT INTO {table}_chain VALUES (%s, %s)".encode(), links)

    def truncate_from(self, position: int) -> None:
        """Deletes an event and everything after it, events and chain links alike."""
        table = self.events_table()
        self._run(
            [
                f"DELETE FROM {table} WHERE rowid >= ?",
                f"DELETE FROM {table}_chain WHERE position >= ?",
            ],
            [
                f"DELETE FROM {table} WHERE notification_id >= %s",
                f"DELETE FROM {table}_chain WHERE position >= %s",
            ],
            (position, position),
        )

    def _select(self, sqlite_sql: str, postgres_sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite:///"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
                return list(connection.execute(sqlite_sql))
        schema = parse_qs(urlsplit(self.url).query)["schema"][0]
        with psycopg.connect(PG_DSN) as connection:
            connection.execute(f'SET search_path TO "{schema}"')
            return list(connection.execute(postgres_sql.encode()))
