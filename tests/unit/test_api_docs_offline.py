"""/docs and /redoc work on a machine without internet: every script, stylesheet and icon
their pages refer to is served by the app itself, and a Content-Security-Policy keeps the
browser from asking any other host (ReDoc's bundle would fetch its logo from a CDN)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import httpx
import pytest

from infra.http.app import create_app
from infra.http.docs import DOCS_POLICY
from infra.settings import Settings

REFERRING = {"script": "src", "link": "href", "img": "src", "redoc": "spec-url"}


class References(HTMLParser):
    """Every address a page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = REFERRING.get(tag)
        self.found += [value for name, value in attrs if name == wanted and value]


def fetch_all(paths: list[str], store: Path) -> dict[str, httpx.Response]:
    """Each page, then each address it refers to, from the app alone (no network)."""
    app = create_app(Settings(store=f"sqlite:///{store}"))

    async def fetch() -> dict[str, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = {path: await client.get(path) for path in paths}
            for page in paths:
                parser = References()
                parser.feed(answers[page].text)
                assert parser.found, f"{page} refers to nothing: not the page expected"
                for address in parser.found:
                    parts = urlsplit(address)
                    assert (parts.scheme, parts.netloc) == ("", ""), f"{page}: {address}"
                    assert address.startswith("/"), f"{page}: {address}"
                    answers.setdefault(address, await client.get(address))
            return answers

    return anyio.run(fetch)


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, httpx.Response]:
    store = Path(tmp_path_factory.mktemp("docs")) / "unused.db"
    return fetch_all(["/docs", "/redoc"], store)


def test_the_docs_pages_and_everything_they_load_come_from_the_app(
    answers: dict[str, httpx.Response],
) -> None:
    assert {"/docs", "/redoc", "/openapi.json"} <= set(answers)
    assets = [address for address in answers if address.endswith((".js", ".css"))]
    assert len(assets) >= 3  # Swagger UI's script and stylesheet, ReDoc's script
    for address, response in answers.items():
        assert response.status_code == 200, address
        assert response.content, address
    for page in ("/docs", "/redoc"):
        assert answers[page].headers["content-type"].startswith("text/html")
        assert "cdn" not in answers[page].text.lower()


def test_the_docs_pages_keep_the_browser_on_this_server(
    answers: dict[str, httpx.Response],
) -> None:
    for page in ("/docs", "/redoc"):
        policy = answers[page].headers["content-security-policy"]
        assert policy == DOCS_POLICY
        sources = {word for part in policy.split(";") for word in part.split()[1:]}
        assert sources <= {"'self'", "'unsafe-inline'", "blob:", "data:"}
    assert "content-security-policy" not in answers["/openapi.json"].headers
    assert '"validatorUrl": null' in answers["/docs"].text  # no badge from a public validator
