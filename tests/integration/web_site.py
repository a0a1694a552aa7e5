"""The web pages in process (FastAPI's TestClient) over a store filled as the browser
tests fill theirs (:mod:`tests.e2e.web`), with a token per role."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi.testclient import TestClient

from application.access import issue_token
from application.council_file import load_register
from domain.access import Role
from infra.http.app import create_app
from infra.settings import Settings
from infra.store import open_store
from samples import COUNCIL_REGISTER, sample_lines
from tests.e2e.web import OTHER_TEAM, PUBLISHED, TEAM, extra_commands
from tests.integration.helpers import event_count, execute_all

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COMMAND_ID = re.compile(r'name="command_id" value="([^"]+)"')


@dataclass
class Web:
    """An app over a filled store, and how to sign a client in."""

    app: TestClient
    store: str
    tokens: dict[str, str]

    def sign_in(self, who: str, *, https: bool = False) -> TestClient:
        """A client of the app signed in as ``who`` (cookies are per client; the app was
        started by :func:`web_site`'s client)."""
        base = "https://testserver" if https else "http://testserver"
        client = TestClient(self.app.app, base_url=base)
        start = client.get("/")
        response = client.post(
            "/sign-in",
            data={"token": self.tokens[who], "csrf_token": csrf_of(start.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    def events(self) -> int:
        """Events stored so far."""
        store = open_store(self.store)
        try:
            return event_count(store)
        finally:
            store.close()


def csrf_of(html: str) -> str:
    """The CSRF token of the page's first form."""
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def command_id_of(html: str, form: str = "") -> str:
    """The command id of the page's form (of the form posting to a path ending ``form``)."""
    if form:
        html = html[html.index(f'/{form}" novalidate>') :]
    found = COMMAND_ID.search(html)
    assert found, "the form has no command id"
    return found.group(1)


def fill(store_url: str) -> dict[str, str]:
    """The published return, the council register, the extra commands; tokens by role."""
    store = open_store(store_url)
    try:
        lines = PUBLISHED.read_text().splitlines() + extra_commands().splitlines()
        execute_all(store, [json.loads(line) for line in lines if line.strip()])
        register = b"\n".join(sample_lines(COUNCIL_REGISTER)).decode()
        assert not load_register(store.ledger, register).refused
        tokens = {}
        for who, role, team in (
            ("admin", Role.ADMIN, None),
            ("auditor", Role.AUDITOR, None),
            ("recorder", Role.RECORDER, TEAM),
            ("other", Role.RECORDER, OTHER_TEAM),
        ):
            tokens[who] = issue_token(store.ledger, role, team=team, name=who)[1]
        return tokens
    finally:
        store.close()


@contextmanager
def web_site(store_url: str) -> Iterator[Web]:
    """The app (started: its lifespan opens the store) over a filled store."""
    tokens = fill(store_url)
    with TestClient(create_app(Settings(store=store_url))) as client:
        yield Web(client, store_url, tokens)
