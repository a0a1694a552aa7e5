"""Web sessions are kept in the store: a session made by one ``serve`` process is known to
another on the same store, a sign-out or a revoked token ends it in both, and the token
never reaches a server's log."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving
from tests.e2e.web import PUBLISHED

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found
    return found.group(1)


def _sign_in(client: httpx.Client, token: str) -> str:
    """Signs in through the start page's form; returns the session cookie."""
    start = client.get("/")
    signed = client.post("/sign-in", data={"token": token, "csrf_token": _csrf(start.text)})
    assert signed.status_code == 303
    return client.cookies["quarterly_session"]


def test_sessions_hold_across_servers_and_end_on_sign_out_or_revocation(
    store_url: str, tmp_path: Path
) -> None:
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    token = make_token(store_url, "auditor", "aud")
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with (
        serving(store_url, log=logs[0]) as first,
        serving(store_url, log=logs[1]) as second,
        httpx.Client(base_url=first, timeout=30) as leaving,
        httpx.Client(base_url=first, timeout=30) as staying,
    ):
        cookies = [_sign_in(leaving, token), _sign_in(staying, token)]
        elsewhere = [
            httpx.Client(base_url=second, timeout=30, cookies={"quarterly_session": cookie})
            for cookie in cookies
        ]
        for client in elsewhere:
            assert client.get("/years/2016-17").status_code == 200
            assert client.get("/verification").status_code == 200
        # Signing out on the first server ends that session on the second.
        home = leaving.get("/")
        assert leaving.post("/sign-out", data={"csrf_token": _csrf(home.text)}).status_code == 303
        assert elsewhere[0].get("/years/2016-17").headers["location"] == "/"
        assert elsewhere[1].get("/years/2016-17").status_code == 200
        # Revoking the token ends every session of it, on every server.
        assert quarterly("token", "revoke", "aud", store=store_url).code == 0
        assert elsewhere[1].get("/years/2016-17").headers["location"] == "/"
        assert staying.get("/years/2016-17").headers["location"] == "/"
        for client in elsewhere:
            client.close()
    for log in logs:
        assert token not in log.read_text()
