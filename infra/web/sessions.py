"""Web sessions: a token exchanged for a cookie, kept server-side in the read-model
database so that every ``serve --workers N`` process knows it.

The cookie holds a random session key; the table ``web_sessions`` holds only the key's
SHA-256, the token's *name* (never its secret), the session's CSRF token and its expiry.
Each request looks the session up and then the token itself (``principal_of``), so revoking
the token ends its sessions at once. The table is not a read model: ``rebuild`` leaves it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from application.access import Principal, principal_of
from application.ledger import ReturnsLedger
from domain.errors import Unauthenticated
from projections.database import ReadModelDatabase

SESSION_COOKIE = "quarterly_session"
SIGN_IN_COOKIE = "quarterly_sign_in"  # the CSRF token of the sign-in form (no session yet)
SESSION_HOURS = 8

CREATE_TABLE = """CREATE TABLE IF NOT EXISTS web_sessions (
    key_hash TEXT PRIMARY KEY,
    token_name TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
)"""


@dataclass(frozen=True)
class WebSession:
    """A signed-in person: who (``principal``), the session's key hash and CSRF token."""

    principal: Principal
    key_hash: str
    csrf_token: str


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SessionStore:
    """Sessions in the store's read-model database (SQLite or PostgreSQL)."""

    def __init__(self, database: ReadModelDatabase, ledger: ReturnsLedger) -> None:
        self.database = database
        self.ledger = ledger
        # Under the writer's lock, so concurrent processes create the table once.
        with database.transaction(write=True) as cursor:
            cursor.execute(CREATE_TABLE)

    def start(self, principal: Principal) -> str:
        """A new session for ``principal``; returns the cookie's key (shown once)."""
        key = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
        with self.database.transaction(write=True) as cursor:
            cursor.execute("DELETE FROM web_sessions WHERE expires_at < :now", {"now": _now()})
            cursor.execute(
                """INSERT INTO web_sessions (key_hash, token_name, csrf_token, expires_at)
                   VALUES (:key_hash, :name, :csrf, :expires)""",
                {
                    "key_hash": _hash(key),
                    "name": principal.name,
                    "csrf": secrets.token_urlsafe(32),
                    "expires": expires.isoformat(timespec="seconds"),
                },
            )
        return key

    def find(self, key: str | None) -> WebSession:
        """The live session of cookie ``key``; Unauthenticated when there is none, it has
        expired, or its token was revoked."""
        if not key or len(key) > 100:
            raise Unauthenticated("sign in first")
        key_hash = _hash(key)
        with self.database.transaction() as cursor:
            cursor.execute(
                """SELECT token_name, csrf_token FROM web_sessions
                   WHERE key_hash = :key_hash AND expires_at >= :now""",
                {"key_hash": key_hash, "now": _now()},
            )
            found = cursor.fetchone()
        if found is None:
            raise Unauthenticated("your session has ended: sign in again")
        return WebSession(principal_of(self.ledger, str(found[0])), key_hash, str(found[1]))

    def end(self, key_hash: str) -> None:
        """Signs a session out."""
        with self.database.transaction(write=True) as cursor:
            cursor.execute(
                "DELETE FROM web_sessions WHERE key_hash = :key_hash", {"key_hash": key_hash}
            )
