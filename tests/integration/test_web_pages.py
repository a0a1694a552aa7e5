"""The web pages in process, on both stores: sign in and out, the session cookie, CSRF,
each form's errors (nothing stored), double submits, roles and teams, the officers' forms,
the auditor's as-at view and timeline, and every page for the roles that may see it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from application.access import revoke_token
from infra.exports.pack_layout import heat_map_refs
from infra.store import open_store
from infra.web.pages import targets
from projections.board_pack import risk_grid
from projections.models import RiskLine
from projections.readers import Readers
from projections.runner import ProjectionRunner
from tests.integration.web_site import Web, command_id_of, csrf_of, web_site

ENGAGEMENT_FORM = "/engagements/new"
NONE_TARGET = "/years/2016-17/targets/NONE"
PC = ("2016/17", "PC")


@pytest.fixture
def web(store_url: str) -> Iterator[Web]:
    with web_site(store_url) as site:
        yield site


def error_summary(html: str) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs."""
    assert "govuk-error-summary" in html, "no error summary on the page"
    summary = html[html.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    return [
        (href, re.sub(r"\s+", " ", text).strip())
        for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', summary, re.S)
    ]


def engagement_form(client: TestClient, **fields: str) -> dict[str, str]:
    """The engagement form as drawn (its CSRF token and command id) with ``fields``."""
    page = client.get(ENGAGEMENT_FORM).text
    return {
        "csrf_token": csrf_of(page),
        "command_id": command_id_of(page),
        "year": "2016/17",
        "count": "1",
    } | fields


GOOD = {
    "code": "NONE",
    "council": "E08000035",  # Leeds
    "date-day": "3",
    "date-month": "11",
    "date-year": "2016",
    "kind": "Peer challenge",
    "count": "2",
}


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_the_session(web: Web) -> None:
    anonymous = TestClient(web.app.app)
    start = anonymous.get("/")
    assert start.status_code == 200
    assert 'action="/sign-in"' in start.text
    assert 'type="password"' in start.text
    # A page needs a session: the start page follows.
    assert anonymous.get("/years/2016-17", follow_redirects=False).headers["location"] == "/"
    # The sign-in form needs its CSRF token, bound to a cookie.
    refused = anonymous.post("/sign-in", data={"token": web.tokens["recorder"]})
    assert refused.status_code == 403
    wrong = anonymous.post(
        "/sign-in", data={"token": "qtk_wrong", "csrf_token": csrf_of(start.text)}
    )
    assert wrong.status_code == 401
    assert error_summary(wrong.text) == [("#token", "The token is not valid")]
    assert "qtk_wrong" not in wrong.text  # never written back into the page

    signed = anonymous.post(
        "/sign-in",
        data={"token": web.tokens["recorder"], "csrf_token": csrf_of(start.text)},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/"
    cookie = next(
        header for header in signed.headers.get_list("set-cookie") if "quarterly_session=" in header
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie
    assert web.tokens["recorder"] not in cookie
    home = anonymous.get("/")
    assert "Signed in as" in home.text
    assert "rec" in home.text

    # Behind a proxy that says HTTPS, and over HTTPS itself, the cookies are Secure.
    proxied = TestClient(web.app.app)
    start = proxied.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in start.headers["set-cookie"]
    proxied.cookies.set("quarterly_sign_in", csrf_of(start.text))  # as the browser holds it
    behind = proxied.post(
        "/sign-in",
        data={"token": web.tokens["auditor"], "csrf_token": csrf_of(start.text)},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in behind.headers["set-cookie"]
    over_https = web.sign_in("auditor", https=True)
    assert over_https.get("https://testserver/").status_code == 200

    # Signing out needs the CSRF token too, then the old cookie is worthless.
    session_cookie = anonymous.cookies.get("quarterly_session")
    assert anonymous.post("/sign-out", data={}).status_code == 403
    out = anonymous.post(
        "/sign-out", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    replay = TestClient(web.app.app, cookies={"quarterly_session": session_cookie or ""})
    assert replay.get("/years/2016-17", follow_redirects=False).status_code == 303


def test_revoking_the_token_ends_its_sessions(web: Web) -> None:
    client = web.sign_in("other")
    assert client.get("/years/2016-17").status_code == 200
    store = open_store(web.store)
    try:
        revoke_token(store.ledger, "other")
    finally:
        store.close()
    assert client.get("/years/2016-17", follow_redirects=False).headers["location"] == "/"


def test_a_form_without_the_sessions_csrf_token_is_refused_and_stores_nothing(web: Web) -> None:
    client = web.sign_in("recorder")
    before = web.events()
    form = engagement_form(client, **GOOD)
    for csrf in (None, "forged"):
        fields = {k: v for k, v in form.items() if k != "csrf_token"}
        if csrf:
            fields["csrf_token"] = csrf
        response = client.post(ENGAGEMENT_FORM, data=fields)
        assert response.status_code == 403
        assert "not sent from this service" in response.text
    # Another session's token does not do either.
    other = web.sign_in("admin")
    stolen = csrf_of(other.get("/").text)
    assert client.post(ENGAGEMENT_FORM, data=form | {"csrf_token": stolen}).status_code == 403
    page = client.get(NONE_TARGET).text
    figure = {"csrf_token": "x", "command_id": command_id_of(page, "figure"), "quarter": "Q3"}
    assert client.post(NONE_TARGET + "/figure", data=figure | {"value": "4"}).status_code == 403
    assert web.events() == before


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"council": ""}, [("#council", "Choose the council you supported")]),
        ({"code": ""}, [("#code", "Choose the target the engagement counts towards")]),
        (
            {"date-day": "", "date-month": "", "date-year": ""},
            [("#date-day", "Enter the date of the engagement")],
        ),
        (
            {"date-day": "31", "date-month": "2"},
            [("#date-day", "The date of the engagement must be a real date")],
        ),
        ({"date-year": "2018"}, [("#date-day", None)]),
        ({"count": "0"}, [("#count", None)]),
        ({"council": "Atlantis"}, [("#council", None)]),
        # Text no number parser should bend into a number, and a year no date holds.
        ({"count": "+3"}, [("#count", None)]),
        ({"count": "1_000"}, [("#count", None)]),
        ({"count": "\uff15"}, [("#count", None)]),
        ({"count": "1e400"}, [("#count", None)]),
        (
            {"date-year": "9" * 30},
            [("#date-day", "The date of the engagement must be a real date")],
        ),
        ({"date-day": "\uff11\uff12"}, [("#date-day", None)]),
        (
            {"date-year": "17"},
            [("#date-day", "The year of the date of the engagement must include 4 numbers")],
        ),
        ({"count": "2.5"}, [("#count", "The count must be a whole number, like 3")]),
        ({"count": "1e3"}, [("#count", "The count must be a whole number, like 3")]),
    ],
)
def test_bad_engagement_input_shows_the_error_summary_and_stores_nothing(
    web: Web, fields: dict[str, str], expected: list[tuple[str, str | None]]
) -> None:
    client = web.sign_in("recorder")
    before = web.events()
    response = client.post(ENGAGEMENT_FORM, data=engagement_form(client, **(GOOD | fields)))
    assert response.status_code == 422
    found = error_summary(response.text)
    assert [href for href, _ in found] == [href for href, _ in expected]
    for (_, message), (_, wanted) in zip(found, expected, strict=True):
        assert message if wanted is None else message == wanted
    assert "govuk-error-message" in response.text  # beside the field too
    assert response.text.count('name="command_id"') == 1
    assert web.events() == before


def test_an_engagement_recorded_twice_is_stored_once_and_counted_in_the_return(web: Web) -> None:
    client = web.sign_in("recorder")
    form = engagement_form(client, **GOOD)
    first = client.post(ENGAGEMENT_FORM, data=form, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == f"/engagements?recorded={form['command_id']}"
    after_first = web.events()
    again = client.post(ENGAGEMENT_FORM, data=form)  # a double click, a refresh
    assert again.status_code == 200
    assert web.events() == after_first
    assert "Engagement recorded" in again.text
    assert "govuk-panel" in again.text
    assert "Leeds" in again.text
    assert again.text.count('<tr class="govuk-table__row">') == 2
    ret = client.get("/years/2016-17").text
    row = ret[ret.index('id="target-NONE"') :]
    assert re.search(r'data-quarter="Q3">2<', row)
    assert re.search(r"data-total>2<", row)
    # The page draws a new command id each time: a second engagement is another one.
    assert command_id_of(client.get(ENGAGEMENT_FORM).text) != form["command_id"]


def test_a_recorder_sees_and_writes_only_its_teams_targets(web: Web) -> None:
    client = web.sign_in("recorder")
    before = web.events()
    assert 'id="target-HS1"' not in client.get("/years/2016-17").text
    assert 'value="HS1"' not in client.get(ENGAGEMENT_FORM).text
    assert client.get("/years/2016-17/targets/HS1").status_code == 403
    refused = client.post(ENGAGEMENT_FORM, data=engagement_form(client, **(GOOD | {"code": "HS1"})))
    assert refused.status_code == 403
    assert "Housing support" in refused.text
    page = client.get(NONE_TARGET).text
    figure = {"csrf_token": csrf_of(page), "command_id": command_id_of(page, "figure")}
    posted = client.post(
        "/years/2016-17/targets/HS1/figure", data=figure | {"quarter": "Q2", "value": "3"}
    )
    assert posted.status_code == 403
    for path in ("/milestones", "/risks", "/verification", "/years/2016-17/changes"):
        assert client.get(path).status_code == 403, path
    assert "The full history of a target is for auditors" in page
    assert web.events() == before
    # The other team's recorder writes there.
    other = web.sign_in("other")
    assert 'id="target-HS1"' in other.get("/years/2016-17").text
    assert other.get("/years/2016-17/targets/HS1").status_code == 200


def _officer_post(
    client: TestClient, form: str, fields: dict[str, str], path: str = NONE_TARGET
) -> httpx.Response:
    page = client.get(path).text
    data = {"csrf_token": csrf_of(page), "command_id": command_id_of(page, form)} | fields
    response: httpx.Response = client.post(f"{path}/{form}", data=data, follow_redirects=False)
    return response


def test_an_officer_reports_a_figure_sets_the_rag_and_writes_commentary(web: Web) -> None:
    client = web.sign_in("recorder")
    before = web.events()
    for form, fields, expected in (
        ("figure", {"quarter": "Q2", "value": "abc"}, "#figure-value"),
        ("figure", {"quarter": "Q2", "value": "-3"}, "#figure-value"),
        ("figure", {"quarter": "", "value": "3"}, "#figure-quarter"),
        ("figure", {"quarter": "Q1", "value": "3"}, "#figure-restatement_reason"),
        ("rag", {"quarter": "Q2"}, "#rag-rag"),
        ("commentary", {"quarter": "Q2", "kind": "impact", "text": ""}, "#commentary-text"),
    ):
        response = _officer_post(client, form, fields)
        assert response.status_code == 422, (form, fields)
        assert [href for href, _ in error_summary(response.text)] == [expected]
    assert web.events() == before

    stored = [
        ("figure", {"quarter": "Q2", "value": "7"}),
        (
            "figure",
            {"quarter": "Q1", "value": "4", "restatement_reason": "Late return from a region"},
        ),
        ("rag", {"quarter": "Q2", "rag": "amber"}),
        (
            "commentary",
            {"quarter": "Q2", "kind": "impact", "text": "Councils report better scrutiny"},
        ),
    ]
    for form, fields in stored:
        response = _officer_post(client, form, fields)
        assert response.status_code == 303, response.text
    assert web.events() == before + 2 * len(stored)  # each an event and its command's receipt
    page = client.get(NONE_TARGET + "?done=commentary").text
    assert "Commentary saved" in page
    row = page[page.index('id="quarter-Q2"') :]
    assert "data-figure>7<" in row
    assert ">Amber<" in row
    assert "Councils report better scrutiny" in row
    assert "data-figure>4<" in page[page.index('id="quarter-Q1"') :]
    # Auditors read; they get no forms and may not post.
    auditor = web.sign_in("auditor")
    target = auditor.get(NONE_TARGET).text
    assert "Report a figure" not in target
    data = {
        "csrf_token": csrf_of(auditor.get("/").text),
        "command_id": "web-figure-x",
        "quarter": "Q3",
        "value": "1",
    }
    assert auditor.post(NONE_TARGET + "/figure", data=data).status_code == 403


def test_an_auditor_sees_the_timeline_the_return_as_at_a_time_and_what_changed(web: Web) -> None:
    recorder = web.sign_in("recorder")
    assert _officer_post(recorder, "figure", {"quarter": "Q3", "value": "9"}).status_code == 303
    auditor = web.sign_in("auditor")
    page = auditor.get(NONE_TARGET).text
    timeline = page[page.index('class="govuk-list app-timeline"') :]
    latest = timeline[: timeline.index("</li>")]
    assert "Figure reported" in latest
    assert "Q3" in latest
    assert "recorder" in latest
    assert "→ 9" in latest
    before_anything = auditor.get("/years/2016-17?as_at=2000-01-01T00:00")
    assert before_anything.status_code == 200
    assert "as at 01 January 2000" in before_anything.text
    assert 'id="target-PC"' not in before_anything.text
    now = auditor.get("/years/2016-17").text
    assert 'id="target-HS1"' in now
    assert 'id="target-PC"' in now
    bad = auditor.get("/years/2016-17?as_at=yesterday")
    assert bad.status_code == 422
    assert [h for h, _ in error_summary(bad.text)] == ["#as_at"]
    changes = auditor.get("/years/2016-17/changes?from=2000-01-01T00:00")
    assert changes.status_code == 200
    assert "NONE" in changes.text
    assert "recorder" in changes.text


@pytest.mark.parametrize(
    ("who", "paths"),
    [
        (
            "recorder",
            [
                "/",
                "/years/2016-17",
                "/engagements/new",
                "/engagements",
                "/years/2016-17/take-up",
                NONE_TARGET,
            ],
        ),
        (
            "auditor",
            [
                "/",
                "/years/2016-17",
                "/years/2016-17/changes",
                "/years/2016-17/take-up",
                NONE_TARGET,
                "/milestones",
                "/risks",
                "/verification",
            ],
        ),
        (
            "admin",
            [
                "/",
                "/years/2016-17",
                "/engagements/new",
                "/engagements",
                "/years/2016-17/changes",
                "/years/2016-17/take-up",
                "/years/2016-17/targets/HS1",
                "/milestones",
                "/risks",
                "/verification",
            ],
        ),
    ],
)
def test_every_page_answers_the_roles_that_may_see_it(web: Web, who: str, paths: list[str]) -> None:
    client = web.sign_in(who)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store"
        # Nothing but the service's own files, and no inline script but the template's.
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        nonce = re.search(r"'nonce-([^']+)'", policy)
        assert nonce
        assert f'<script nonce="{nonce.group(1)}">' in response.text
        assert response.text.count("<script") == response.text.count("<script src=") + (
            response.text.count('<script type="module" src=') + 1
        )
        assert "<h1" in response.text
    assert client.get("/no-such-page").status_code == 404
    # A signed-in person may read the API's documents (the board pack's link) by the
    # session cookie; the API's writes still need the token.
    assert client.get("/api/v1/years/2016-17/report").status_code == 200
    assert client.post("/api/v1/commands", json={}).status_code == 401


def test_a_long_timeline_is_read_a_page_at_a_time(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(targets, "TIMELINE_PAGE", 3)
    auditor = web.sign_in("auditor")
    seen: list[str] = []
    path = "/years/2016-17/targets/PC"
    while path:
        page = auditor.get(path).text
        positions = re.findall(r'data-position="(\d+)"', page)
        assert len(positions) <= 3
        seen += positions
        older = re.search(r'href="([^"]*before=\d+)#history">Older entries', page)
        path = older.group(1) if older else ""
    store = open_store(web.store)
    try:
        ProjectionRunner(store.ledger, store.read_models).catch_up()
        every = [str(entry.position) for entry in Readers(store.read_models).history(*PC)]
    finally:
        store.close()
    assert seen == list(reversed(every))
    assert len(seen) > 3


def test_take_up_and_risk_pages_draw_the_board_packs_charts(web: Web) -> None:
    auditor = web.sign_in("auditor")
    take_up = auditor.get("/years/2016-17/take-up").text
    source = re.search(r'<img src="(/years/2016-17/take-up/by-region\.svg)" alt="([^"]+)"', take_up)
    assert source is not None, "the take-up page shows no chart"
    assert "percent of each region" in source.group(2)
    chart = auditor.get(source.group(1))
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg")
    assert "Yorkshire and The Humber" in chart.text
    assert auditor.get(source.group(1)).text == chart.text  # drawn once, kept
    # The chart is read as the page is: signed in, with the same reading rights.
    anonymous = TestClient(web.app.app)
    assert anonymous.get(source.group(1), follow_redirects=False).status_code in (303, 401)

    risks = auditor.get("/risks").text
    heat_map = risks[risks.index('class="govuk-table app-heat-map"') :]
    heat_map = heat_map[: heat_map.index("</table>")]
    cells = re.findall(r"app-heat-map__cell--(\w+)", heat_map)
    assert len(cells) == 25
    assert cells.count("red") == 4  # scores 16 (4x4), 20 (4x5, 5x4) and 25
    assert "Red 25" in heat_map
    assert "Green 1" in heat_map
    # Each cell names its risks as the board pack's heat map does (one shortening rule).
    lines = sorted(
        (RiskLine.model_validate(r) for r in auditor.get("/api/v1/risks").json()),
        key=lambda line: (-line.score, line.ref),
    )
    cells = [refs for refs in risk_grid(lines).values() if refs]
    assert cells, "the sample register places no risk on the map"
    for refs in cells:
        assert f"<strong>{heat_map_refs(refs)}</strong>" in heat_map


def test_sign_in_from_another_site_without_the_sign_in_cookie_is_refused(web: Web) -> None:
    # A form on another site posts a token of the attacker's: no cookie, no CSRF token.
    anonymous = TestClient(web.app.app)
    for data in (
        {"token": web.tokens["recorder"]},
        {"token": web.tokens["recorder"], "csrf_token": ""},
    ):
        refused = anonymous.post("/sign-in", data=data, follow_redirects=False)
        assert refused.status_code == 403
        assert "quarterly_session" not in refused.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    "value", ["1e-400", "2.00000000000000001", "999999999999.9999999", "1_0", " "]
)
def test_a_figure_the_api_would_refuse_is_refused_not_rounded(web: Web, value: str) -> None:
    client = web.sign_in("admin")
    before = web.events()
    answer = _officer_post(client, "figure", {"quarter": "Q4", "value": value})
    assert answer.status_code == 422
    assert [href for href, _ in error_summary(answer.text)] == ["#figure-value"]
    assert web.events() == before


def test_odd_page_parameters_are_refused_not_failed(web: Web) -> None:
    auditor = web.sign_in("auditor")
    huge = auditor.get(NONE_TARGET + "?before=" + "9" * 25)
    assert huge.status_code == 422
    # An as-at typed with an offset is shown in UTC, the moment the report was taken at.
    page = auditor.get("/years/2016-17?as_at=2016-10-14T17:00:00%2B14:00").text
    assert "14 October 2016 03:00 UTC" in page
    # A period that ends before it starts is refused naming "to", not shown backwards.
    reversed_period = auditor.get(
        "/years/2016-17/changes?from=2016-10-14T00:00&to=2016-01-01T00:00"
    )
    assert reversed_period.status_code == 422
    assert [href for href, _ in error_summary(reversed_period.text)] == ["#to"]
    api = auditor.get(
        "/api/v1/years/2016-17/diff?from=2016-10-14T00:00:00Z&to=2016-01-01T00:00:00Z"
    )
    assert api.status_code == 422
    assert api.json()["field"] == "to"


def test_a_form_over_the_body_limit_gets_a_page_not_the_apis_json(web: Web) -> None:
    client = web.sign_in("recorder")
    before = web.events()
    answer = client.post(ENGAGEMENT_FORM, data=engagement_form(client, **GOOD, notes="n" * 70_000))
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "The form is too long" in answer.text
    assert web.events() == before
    # The API keeps its JSON shape.
    api = client.post("/api/v1/commands", content=b"{" + b" " * 70_000 + b"}")
    assert api.status_code == 413
    assert api.json()["field"] is None


def test_text_written_in_paragraphs_is_stored_with_newlines(web: Web) -> None:
    # Browsers send a textarea's line breaks as CR LF; a stored text holds no CR.
    client = web.sign_in("recorder")
    text = "First paragraph.\r\n\r\nSecond paragraph.\rThird line."
    response = _officer_post(
        client, "commentary", {"quarter": "Q2", "kind": "forecast", "text": text}
    )
    assert response.status_code == 303, response.text
    answer = client.post(
        ENGAGEMENT_FORM,
        data=engagement_form(client, **GOOD, notes="Met the leader.\r\nThen the chief executive."),
    )
    assert answer.status_code == 200, answer.text  # the confirmation, after the redirect
    auditor = web.sign_in("auditor")
    history = auditor.get("/api/v1/years/2016-17/targets/NONE/history").json()
    written = [entry for entry in history if entry["event"] == "Target.CommentaryWritten"]
    assert written[-1]["new"] == "First paragraph.\n\nSecond paragraph.\nThird line."
    engagements = [entry for entry in history if entry["event"] == "Engagement.Recorded"]
    assert engagements[-1]["notes"] == "Met the leader.\nThen the chief executive."
    # The page keeps the paragraphs (white-space: pre-line on stored text).
    page = client.get(NONE_TARGET).text
    assert 'class="app-lines">First paragraph.\n\nSecond paragraph.\nThird line.</span>' in page


def test_head_on_every_page_answers_as_get_without_a_body(web: Web) -> None:
    anonymous = TestClient(web.app.app)
    start = anonymous.head("/")
    assert start.status_code == 200
    assert start.content == b""
    assert start.headers["content-type"].startswith("text/html")
    assert int(start.headers["content-length"]) > 0  # the GET's length
    # Without a session a page's HEAD leads to the start page, as its GET does.
    away = anonymous.head("/years/2016-17", follow_redirects=False)
    assert (away.status_code, away.headers["location"]) == (303, "/")
    admin = web.sign_in("admin")
    for path in (
        "/",
        "/years",
        "/years/2016-17",
        "/years/2016-17?as_at=2016-10-14T17:00",
        "/engagements/new",
        "/engagements",
        "/years/2016-17/changes",
        "/years/2016-17/take-up",
        "/take-up",
        "/years/2016-17/take-up/by-region.svg",
        "/years/2016-17/targets/HS1",
        "/milestones",
        "/risks",
        "/verification",
    ):
        got = admin.get(path, follow_redirects=False)
        head = admin.head(path, follow_redirects=False)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        assert head.headers.get("cache-control") == got.headers.get("cache-control"), path
    assert admin.head("/no-such-page").status_code == 404
    assert admin.head("/assets/app/quarterly.css").status_code == 200


def test_what_changed_names_each_field_by_its_label_and_the_api_keeps_the_names(
    web: Web,
) -> None:
    recorder = web.sign_in("recorder")
    assert _officer_post(recorder, "figure", {"quarter": "Q3", "value": "9"}).status_code == 303
    auditor = web.sign_in("auditor")
    page = auditor.get("/years/2016-17/changes?from=2000-01-01T00:00").text
    cells = r'<td class="govuk-table__cell" data-field="([^"]+)">([^<]*)</td>'
    shown = dict(re.findall(cells, page))
    assert shown["quarters.Q1"] == "Q1 figure"
    assert shown["rag_by_quarter.Q2"] == "Q2 RAG"
    assert shown["percent_achieved"] == "Percent achieved"
    assert shown["commentary.delivered"] == "Commentary: what we delivered"
    assert shown["target"] == "Annual target"
    text = re.sub(r"<[^>]+>", " ", page)  # what a person reads, without the markup
    for name in ("quarters.", "rag_by_quarter", "percent_achieved", "commentary."):
        assert name not in text, name
    diff = auditor.get("/api/v1/years/2016-17/diff?from=2000-01-01T00:00:00Z").json()
    fields = {change["field"] for target in diff["targets"] for change in target["changes"]}
    assert {"quarters.Q1", "rag_by_quarter.Q2", "percent_achieved"} <= fields


COMMAND_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")  # restatement_reason, define_target ...


def _messages(html: str) -> list[str]:
    """Every error message of the page: the summary's and those beside the fields."""
    beside = re.findall(r'class="govuk-error-message">(.*?)</p>', html, re.S)
    return [message for _, message in error_summary(html)] + [
        re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in beside
    ]


@pytest.mark.parametrize(
    ("form", "fields", "href", "words"),
    [
        ("figure", {"quarter": "Q1", "value": "3"}, "#figure-restatement_reason", "restatement"),
        ("rag", {"quarter": "Q1", "rag": "red"}, "#rag-restatement_reason", "restatement"),
        (
            "commentary",
            {"quarter": "Q1", "kind": "impact", "text": "Late"},
            "#commentary-restatement_reason",
            "restatement",
        ),
        ("figure", {"quarter": "Q2", "value": "-3"}, "#figure-value", "negative"),
        ("engagement", {"date-month": "5"}, "#restatement_reason", "restatement"),
        ("engagement", {"code": "ZZZ"}, "#code", "no target"),
        ("engagement", {"council": "Atlantis"}, "#council", "Atlantis"),
    ],
)
def test_a_refusal_on_a_form_names_each_field_by_its_label_not_the_commands_name(
    web: Web, form: str, fields: dict[str, str], href: str, words: str
) -> None:
    client = web.sign_in("recorder")
    before = web.events()
    if form == "engagement":
        answer = client.post(ENGAGEMENT_FORM, data=engagement_form(client, **(GOOD | fields)))
    else:
        answer = _officer_post(client, form, fields)
    assert answer.status_code == 422
    assert [link for link, _ in error_summary(answer.text)] == [href]
    messages = _messages(answer.text)
    assert len(messages) == 2, messages  # in the summary and beside the field
    for message in messages:
        assert words in message, message
        assert not COMMAND_NAME.search(message), message
        assert "quarterly councils" not in message  # the command line's hint
    if words == "restatement":
        assert "give a restatement reason" in messages[0]
    assert web.events() == before


BRISTOL = 'Bristol, City of <span class="app-council-code">(E06000023)</span>'


def test_every_page_names_a_council_by_its_register_name_with_the_code_beside_it(
    web: Web,
) -> None:
    recorder = web.sign_in("recorder")
    # Recorded by an alias: stored with the register's code, shown by the register's name.
    form = engagement_form(recorder, **(GOOD | {"council": "City of Bristol"}))
    recorded = recorder.post(ENGAGEMENT_FORM, data=form)
    assert recorded.status_code == 200, recorded.text
    panel = recorded.text[recorded.text.index("govuk-panel__body") :]
    assert panel.index(f"<span data-council>{BRISTOL}</span>, 2016-11-03") < 100
    assert f'<td class="govuk-table__cell" data-council>{BRISTOL}</td>' in recorded.text
    auditor = web.sign_in("auditor")
    target = auditor.get(NONE_TARGET).text
    latest = target[target.index('class="app-timeline__entry"') :]
    latest = latest[: latest.index("</li>")]
    assert f"data-council>{BRISTOL}, 2016-11-03, count 2</p>" in latest
    changes = auditor.get("/years/2016-17/changes?from=2000-01-01T00:00").text
    assert f"Engagement recorded (Q3): <span data-council>{BRISTOL}</span>" in changes
    for page in (recorded.text, target, changes):
        assert ">E06000023<" not in page  # never the code alone


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2016-10-14", "2016-10-14T23:59:59.999"),  # a date: its last moment
        ("2016-10-14T17:00:00Z", "2016-10-14T17:00"),
        ("2016-10-14T17:00+05:00", "2016-10-14T12:00"),
        ("2016-10-14T17:00:30", "2016-10-14T17:00:30"),
        ("2016-10-14T17:00:30.123456+00:00", "2016-10-14T17:00:30.123"),
    ],
)
def test_the_as_at_and_period_controls_show_the_moment_in_their_own_format(
    web: Web, typed: str, shown: str
) -> None:
    """A datetime-local control shows nothing for text not in its format, so a moment typed
    as a date, with Z or an offset is shown as the control writes it, in UTC."""
    auditor = web.sign_in("auditor")
    page = auditor.get("/years/2016-17", params={"as_at": typed})
    assert page.status_code == 200
    assert f'id="as_at" name="as_at" type="datetime-local" value="{shown}"' in page.text
    changes = auditor.get("/years/2016-17/changes", params={"from": typed, "to": typed})
    assert changes.status_code == 200
    assert f'id="from" name="from" type="datetime-local" value="{shown}"' in changes.text
    assert f'id="to" name="to" type="datetime-local" value="{shown}"' in changes.text


def test_a_message_echoes_the_input_as_typed_never_relabelled(web: Web) -> None:
    auditor = web.sign_in("auditor")
    bad = auditor.get("/years/2016-17", params={"as_at": "as_at restatement_reason"})
    assert bad.status_code == 422
    ((_, message),) = error_summary(bad.text)
    assert "'as_at restatement_reason'" in html.unescape(message)
    assert html.unescape(message).startswith("Show the return as at")


def test_a_fault_on_a_page_answers_the_design_systems_error_page_the_api_json(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Readers) -> None:
        raise RuntimeError("a read model that cannot be read")

    monkeypatch.setattr(Readers, "milestones", broken)
    officer = web.sign_in("admin")
    page = officer.get("/milestones")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in page.text
    assert "request id" in page.text
    assert "cannot be read" not in page.text  # the log has the fault, not the page
    api = officer.get("/api/v1/milestones")
    assert api.status_code == 500
    assert api.json()["error"].startswith("internal error")


def test_take_up_of_a_year_without_targets_is_not_found_as_its_return(web: Web) -> None:
    officer = web.sign_in("admin")
    for path in (
        "/years/1990-91",
        "/years/1990-91/take-up",
        "/years/1990-91/take-up/by-region.svg",
    ):
        answer = officer.get(path)
        assert answer.status_code == 404, path
        assert "no target is defined in 1990/91" in answer.text.lower()
    assert officer.get("/years/2016-17/take-up").status_code == 200


def test_the_start_page_open_in_two_tabs_signs_in_from_either(web: Web) -> None:
    client = TestClient(web.app.app)
    first, second = client.get("/"), client.get("/")  # two tabs of one browser
    assert csrf_of(first.text) == csrf_of(second.text)
    signed = client.post(
        "/sign-in",
        data={"token": web.tokens["recorder"], "csrf_token": csrf_of(first.text)},
        follow_redirects=False,
    )
    assert signed.status_code == 303


def test_a_refused_address_parameter_is_named_on_the_page(web: Web) -> None:
    auditor = web.sign_in("auditor")
    for path, name in (
        ("/years/2016-17?as_at=" + "9" * 41, "as_at"),
        ("/years/2016-17/targets/PS1?before=0", "before"),
        ("/years/2016-17/targets/PS1?before=abc", "before"),
        ("/years/2016-17/take-up?kind=" + "k" * 101, "kind"),
    ):
        page = auditor.get(path)
        assert page.status_code == 422, path
        assert f"In the address, {name}: " in html.unescape(page.text), path


def test_the_councils_of_the_form_are_in_name_order(web: Web) -> None:
    recorder = web.sign_in("recorder")
    form = recorder.get("/engagements/new").text
    select = form[form.index('id="council"') : form.index("</select>", form.index('id="council"'))]
    names = [html.unescape(n) for n in re.findall(r'<option value="E[^"]*"[^>]*>([^<]*)<', select)]
    assert len(names) > 300
    assert names == sorted(names, key=str.casefold)


def test_a_form_post_logs_its_command_id_and_its_errors(web: Web) -> None:
    import structlog

    recorder = web.sign_in("recorder")
    form = recorder.get("/engagements/new").text
    with structlog.testing.capture_logs() as logs:
        recorder.post(
            "/engagements/new",
            data={"csrf_token": csrf_of(form), "command_id": command_id_of(form), "code": ""},
        )
    (line,) = [entry for entry in logs if entry.get("path") == "/engagements/new"]
    assert line["command_id"] == command_id_of(form)
    assert line["status"] == 422
    # Why, in the page's own words, so that an operator need not reproduce it.
    assert line["error_type"] == "FormErrors"
    assert "target" in line["error"].lower()


def test_a_method_a_page_does_not_take_is_answered_405_with_allow(web: Web) -> None:
    officer = web.sign_in("admin")
    refused = officer.delete("/milestones")
    assert refused.status_code == 405
    assert "GET" in refused.headers["allow"]
    assert "There is a problem" in refused.text


def test_a_code_with_characters_an_address_reserves_links_to_its_own_page(web: Web) -> None:
    """``?``, ``#``, ``%`` and spaces are allowed in codes (``/`` is not): every link and
    form to the target's page carries the code percent-encoded."""
    from tests.builders import define
    from tests.integration.helpers import execute_all

    store = open_store(web.store)
    try:
        execute_all(store, [define(code="Q?1 #2%", title="Odd code", theme=None)])
    finally:
        store.close()
    client = web.sign_in("admin")
    page = client.get("/years/2016-17").text
    link = "/years/2016-17/targets/Q%3F1%20%232%25"
    assert f'href="{link}"' in page
    target = client.get(link)
    assert target.status_code == 200
    assert "Odd code" in target.text
    assert f'action="{link}/figure"' in target.text
    response = _officer_post(client, "figure", {"quarter": "Q2", "value": "5"}, path=link)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{link}?done=figure"
    assert "data-figure>5<" in client.get(response.headers["location"]).text
