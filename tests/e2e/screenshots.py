"""Screenshots of every page into docs/screenshots/: ``python -m tests.e2e.screenshots``
(or ``make screenshots``). Serves a SQLite store filled by :mod:`tests.e2e.web` and drives
Debian's chromium through Playwright."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e.web import CHROMIUM, site

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# (file name, who, path) for each page.
PAGES = (
    ("start", None, "/"),
    ("home-recorder", "recorder", "/"),
    ("record-engagement", "recorder", "/engagements/new"),
    ("return", "recorder", "/years/2016-17"),
    ("target-officer", "recorder", "/years/2016-17/targets/PC"),
    ("target-auditor-timeline", "auditor", "/years/2016-17/targets/PC"),
    ("return-as-at", "auditor", "/years/2016-17?as_at=2016-01-01T00%3A00"),
    ("changes", "auditor", "/years/2016-17/changes?from=2000-01-01T00%3A00"),
    ("take-up", "auditor", "/years/2016-17/take-up"),
    ("milestones", "auditor", "/milestones"),
    ("risks", "auditor", "/risks"),
    ("verification", "auditor", "/verification"),
)


def sign_in(page: Page, base: str, token: str) -> None:
    """Signs in through the start page's form."""
    page.goto(base + "/")
    page.fill("#token", token)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(base + "/")


def record_one(page: Page) -> None:
    """Records an engagement with Leeds as a person does, typing part of its name."""
    page.select_option("#code", "NONE")
    page.fill("#council", "Lee")
    page.locator("#council__listbox li", has_text="Leeds").first.click()
    page.fill("#date-day", "3")
    page.fill("#date-month", "11")
    page.fill("#date-year", "2016")
    page.fill("#kind", "Peer challenge")
    page.click("button:has-text('Record the engagement')")
    page.wait_for_selector(".govuk-panel")


def main() -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = f"sqlite:///{folder}/screens.db"
        with site(store, Path(folder)) as served, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            signed_in: dict[str | None, Page] = {}
            for name, who, path in PAGES:
                if who not in signed_in:
                    context = browser.new_context(viewport={"width": 1200, "height": 900})
                    signed_in[who] = context.new_page()
                    if who:
                        sign_in(signed_in[who], served.base, served.tokens[who])
                page = signed_in[who]
                page.goto(served.base + path)
                # The diff of a whole year is long: its first screen shows what it is.
                whole = name != "changes"
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=whole)
                print(f"{name}: {path}", file=sys.stderr)
            recorder = signed_in["recorder"]
            recorder.goto(served.base + "/engagements/new")
            recorder.click("button:has-text('Record the engagement')")
            recorder.screenshot(path=str(SCREENSHOTS / "record-engagement-errors.png"))
            record_one(recorder)
            recorder.screenshot(path=str(SCREENSHOTS / "engagement-recorded.png"), full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
