"""The web pages in a real browser (Debian's chromium, driven by Playwright) on a real
``quarterly serve``, over both stores: what a recorder, an officer and an auditor do, an
accessibility scan of every page (axe-core), and no request leaving the service."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from tests.conftest import PG_DSN, _drop_schema
from tests.e2e.screenshots import sign_in
from tests.e2e.web import CHROMIUM, Site, site

# One worker runs this module (make test: --dist loadgroup), so its module-scoped store
# per kind is set up once, not again each time xdist hands it a test of the other kind.
pytestmark = pytest.mark.xdist_group("browser")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Every page, with a role that may see it.
PAGES = {
    "recorder": [
        "/",
        "/engagements/new",
        "/engagements",
        "/years/2016-17",
        "/years/2016-17/targets/NONE",
        "/years/2016-17/take-up",
    ],
    "auditor": [
        "/years/2016-17/targets/PC",
        "/years/2016-17?as_at=2016-01-01T00%3A00",
        "/years/2016-17/changes?from=2000-01-01T00%3A00",
        "/milestones",
        "/risks",
        "/verification",
    ],
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One served store per kind for the whole module (filling one takes seconds)."""
    folder = tmp_path_factory.mktemp(f"web-{request.param}")
    if request.param == "sqlite":
        with site(f"sqlite:///{folder / 'web.db'}", folder) as served_site:
            yield served_site
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    try:
        with site(f"{PG_DSN}?schema={schema}", folder) as served_site:
            yield served_site
    finally:
        _drop_schema(schema)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no {CHROMIUM}: `bash .ci/ensure-chromium` (part of `make test`) installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


def signed_in(browser: Browser, served: Site, who: str, *, scan: bool = False) -> Page:
    """A new browser context (its own cookies) signed in as ``who``. Browser errors (a
    script the page's Content-Security-Policy blocked ...) are kept in ``page.errors``. With
    ``scan`` the policy is bypassed, for axe-core's injected script alone."""
    page = browser.new_context(bypass_csp=scan).new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    setattr(page, "errors", errors)  # noqa: B010 - a test's note on the page object
    page.set_default_timeout(10_000)
    sign_in(page, served.base, served.tokens[who])
    return page


def fill_engagement(page: Page, served: Site, council_typed: str, council: str, count: str) -> None:
    """The engagement form for NONE on 3 November 2016, the council chosen by typing part
    of its name into the autocomplete."""
    page.goto(served.base + "/engagements/new")
    page.select_option("#code", "NONE")
    page.fill("#council", council_typed)
    page.locator("#council__listbox li", has_text=council).first.click()
    page.fill("#date-day", "3")
    page.fill("#date-month", "11")
    page.fill("#date-year", "2016")
    page.fill("#kind", "Peer challenge")
    page.fill("#count", count)


def none_q3(page: Page, served: Site) -> str:
    """The NONE target's Q3 figure as the return shows it."""
    page.goto(served.base + "/years/2016-17")
    return page.locator('#target-NONE [data-quarter="Q3"]').inner_text().strip()


def test_a_recorder_records_an_engagement_and_sees_it_counted(
    browser: Browser, served: Site
) -> None:
    page = signed_in(browser, served, "recorder")
    before = none_q3(page, served)
    fill_engagement(page, served, "eed", "Leeds", "2")
    page.click("button:has-text('Record the engagement')")
    expect(page.locator(".govuk-panel__title")).to_have_text("Engagement recorded")
    expect(page.locator(".govuk-panel__body")).to_contain_text("Leeds")
    after = none_q3(page, served)
    assert int(after) == (0 if before == "–" else int(before)) + 2
    # Every script ran under the pages' Content-Security-Policy, the autocomplete's too.
    assert getattr(page, "errors") == []  # noqa: B009


@pytest.mark.parametrize(
    ("typed", "council", "code"),
    [
        ("City of Kingston", "Kingston upon Hull, City of", "E06000010"),  # an alias's start
        ("hull", "Kingston upon Hull, City of", "E06000010"),  # a word of an alias
        ("e08000035", "Leeds", "E08000035"),  # the ONS code, any case
        ("Leeds City Council", "Leeds", "E08000035"),  # with the words of its kind
        ("Durham County Co", "County Durham", "E06000047"),  # an alias, part typed
    ],
)
def test_the_council_is_found_by_an_alias_a_short_name_or_its_code(
    browser: Browser, served: Site, typed: str, council: str, code: str
) -> None:
    page = signed_in(browser, served, "recorder")
    fill_engagement(page, served, typed, council, "1")
    expect(page.locator("#council")).to_have_value(council)  # the register's name
    page.click("button:has-text('Record the engagement')")
    expect(page.locator(".govuk-panel__title")).to_have_text("Engagement recorded")
    expect(page.locator(".govuk-panel__body")).to_contain_text(f"{council} ({code})")
    assert getattr(page, "errors") == []  # noqa: B009


def test_a_council_name_is_shown_as_text_in_the_suggestions(browser: Browser, served: Site) -> None:
    """A council's name holding markup (the register takes any printable text) is shown as
    those characters: the library writes suggestions as HTML, so the page escapes them."""
    page = signed_in(browser, served, "recorder")
    name = (
        'Zed <img id="injected" src="/assets/app/favicon.svg"> <a id="lnk" href="/">x</a> Borough'
    )
    escaped = name.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

    def with_the_council(route: Route) -> None:
        response = route.fetch()
        page_html = response.text()
        council = page_html.index('id="council"')
        end = page_html.index("</select>", council)
        option = f'<option value="E99999999">{escaped}</option>'
        html = page_html[:end] + option + page_html[end:]
        route.fulfill(response=response, body=html)

    page.route("**/engagements/new", with_the_council)
    page.goto(served.base + "/engagements/new")
    page.fill("#council", "Zed")
    suggestion = page.locator("#council__listbox li").first
    expect(suggestion).to_have_text(name)
    assert page.locator("#injected, #lnk").count() == 0
    suggestion.click()
    expect(page.locator("#council")).to_have_value(name)


def test_without_javascript_the_council_is_a_plain_select(browser: Browser, served: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, served.base, served.tokens["recorder"])
    page.goto(served.base + "/engagements/new")
    assert page.locator("select#council").is_visible()
    # Each option carries what the autocomplete finds the council by: the register's
    # aliases and the canonical keys (the register keeps no alias that says the name again).
    hull = page.locator('select#council option[value="E06000010"]')
    expect(hull).to_have_text("Kingston upon Hull, City of")
    expect(hull).to_have_attribute("data-aliases", "Hull City Council|Hull")
    expect(hull).to_have_attribute("data-keys", "kingston upon hull|hull")
    context.close()


def test_a_validation_error_shows_the_summary_and_a_double_submit_stores_once(
    browser: Browser, served: Site
) -> None:
    page = signed_in(browser, served, "recorder")
    page.goto(served.base + "/engagements/new")
    page.click("button:has-text('Record the engagement')")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose the council you supported")).to_be_visible()
    summary.get_by_role("link", name="Choose the target the engagement counts towards").click()
    expect(page.locator("#code")).to_be_focused()

    before = none_q3(page, served)
    fill_engagement(page, served, "ken", "Kent", "1")
    # The same form sent twice (a double click the browser let through, a resend), then
    # submitted as a person would: one engagement.
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector('form[action="/engagements/new"]')
            const body = new URLSearchParams(new FormData(form))
            const sent = []
            for (const _ of [1, 2]) {
                const answer = await fetch(form.action, {method: 'POST', body, redirect: 'manual'})
                sent.push(answer.type === 'opaqueredirect' ? 303 : answer.status)
            }
            return sent
        }"""
    )
    assert statuses == [303, 303]
    page.click("button:has-text('Record the engagement')")
    expect(page.locator(".govuk-panel__title")).to_have_text("Engagement recorded")
    assert int(none_q3(page, served)) == (0 if before == "–" else int(before)) + 1


def test_a_council_cleared_or_typed_over_is_not_recorded(browser: Browser, served: Site) -> None:
    page = signed_in(browser, served, "recorder")
    before = none_q3(page, served)
    for typed_over in ("", "Atlantis"):
        fill_engagement(page, served, "eed", "Leeds", "1")
        page.fill("#council", typed_over)  # the autocomplete's select still holds Leeds
        page.keyboard.press("Tab")
        page.click("button:has-text('Record the engagement')")
        summary = page.locator(".govuk-error-summary")
        expect(summary.get_by_role("link", name="Choose the council you supported")).to_be_visible()
    assert none_q3(page, served) == before


def test_a_recorder_is_refused_another_teams_target(browser: Browser, served: Site) -> None:
    page = signed_in(browser, served, "recorder")
    response = page.goto(served.base + "/years/2016-17/targets/HS1")
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot do that")
    expect(page.locator("main")).to_contain_text("Housing support")


def test_an_auditor_reads_the_timeline_and_the_return_as_it_stood(
    browser: Browser, served: Site
) -> None:
    recorder = signed_in(browser, served, "recorder")
    fill_engagement(recorder, served, "Bris", "Bristol", "1")
    recorder.click("button:has-text('Record the engagement')")
    expect(recorder.locator(".govuk-panel__title")).to_have_text("Engagement recorded")

    page = signed_in(browser, served, "auditor")
    page.goto(served.base + "/years/2016-17/targets/NONE")
    latest = page.locator(".app-timeline__entry").first
    expect(latest).to_contain_text("Engagement recorded")
    expect(latest).to_contain_text("rec")
    page.goto(served.base + "/years/2016-17")
    expect(page.locator("#target-PC")).to_be_visible()
    page.fill("#as_at", "2000-01-01T00:00")
    page.click("button:has-text('Show')")
    expect(page.locator("h1")).to_contain_text("as at 01 January 2000")
    expect(page.locator("#target-PC")).to_have_count(0)


def test_every_page_passes_axe_and_loads_nothing_from_outside(
    browser: Browser, served: Site
) -> None:
    loaded: list[str] = []
    problems: dict[str, list[dict[str, Any]]] = {}
    anonymous = browser.new_context(bypass_csp=True).new_page()
    anonymous.on("request", lambda request: loaded.append(request.url))
    _scan(anonymous, served.base + "/", problems)
    for who, paths in PAGES.items():
        page = signed_in(browser, served, who, scan=True)
        page.on("request", lambda request: loaded.append(request.url))
        for path in paths:
            _scan(page, served.base + path, problems)
    assert not problems, problems
    outside = [url for url in loaded if not url.startswith(served.base + "/")]
    assert not outside, outside
    assert any("/assets/govuk/govuk-frontend.min.js" in url for url in loaded)
    assert any("/assets/autocomplete/accessible-autocomplete.min.js" in url for url in loaded)
    # The tokens were typed into the sign-in form: never into a URL, never into the log.
    for token in served.tokens.values():
        assert not any(token in url for url in loaded)
        assert token not in served.log.read_text()


def _scan(page: Page, url: str, problems: dict[str, list[dict[str, Any]]]) -> None:
    """Opens ``url`` and runs axe-core on it: serious and critical violations are kept."""
    response = page.goto(url)
    assert response is not None
    assert response.ok, url
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run().then(r => ({violations: r.violations, passes: r.passes.length}))"
    )
    assert result["passes"] > 0, f"axe checked nothing on {url}"
    violations = result["violations"]
    bad = [
        {
            "id": found["id"],
            "impact": found["impact"],
            "nodes": [n["target"] for n in found["nodes"]][:3],
        }
        for found in violations
        if found["impact"] in ("serious", "critical")
    ]
    if bad:
        problems[re.sub(r"^https?://[^/]+", "", url)] = bad
