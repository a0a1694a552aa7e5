"""A real ``quarterly serve`` with a year worth showing, for the browser tests and the
screenshots: the published 2016/17 return, the council register, a second team's target,
commentary, a closed quarter (with its seal), milestones and risks, and a token per role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.builders import (
    close,
    comment,
    complete_milestone,
    define,
    jsonl,
    milestone,
    revise_milestone,
    risk,
)
from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published_return_2016_17.jsonl"
TEAM = "Published return"
OTHER_TEAM = "Housing support"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Site:
    """A served store: its base URL, store URL and a token per role."""

    base: str
    store: str
    tokens: dict[str, str]
    log: Path  # the server's log


def extra_commands() -> str:
    """What the published return lacks for the pages to show everything."""
    return jsonl(
        [
            define("HS1", theme=OTHER_TEAM, title="Homes brought back into use", target=40),
            comment("Q1", "Six peer challenges delivered", code="PC", id="c-pc-q1"),
            comment("Q1", "On course for the year", kind="forecast", code="PC", id="c-pc-q1f"),
            close("Q1", id="close-q1"),
            milestone("Business case approved", "2016-06-30", project="Digital hub", id="m1"),
            revise_milestone(
                "Business case approved",
                "2016-09-30",
                project="Digital hub",
                reason="Board date moved",
                id="m1r",
            ),
            milestone("Pilot live", "2016-12", project="Digital hub", id="m2"),
            complete_milestone(
                "Business case approved", "2016-09-28", project="Digital hub", id="m1c"
            ),
            risk("R1", 4, 4, title="Funding reduced", owner="Finance director", id="r1"),
            risk("R2", 2, 3, title="Key staff leave", owner="HR lead", id="r2"),
            risk("R1", 4, 3, title="Funding reduced", owner="Finance director", id="r1b"),
        ]
    )


def prepare(store: str, folder: Path) -> dict[str, str]:
    """Fills ``store`` and makes the tokens; returns them by role."""
    assert quarterly("import", str(PUBLISHED), store=store).code == 0
    assert quarterly("councils", "load", store=store).code == 0
    extra = folder / "extra.jsonl"
    extra.write_text(extra_commands())
    run = quarterly("import", str(extra), store=store)
    assert run.code == 0, run.stdout + run.stderr
    return {
        "admin": make_token(store, "admin", "ada"),
        "auditor": make_token(store, "auditor", "aud"),
        "recorder": make_token(store, "recorder", "rec", team=TEAM),
        "other": make_token(store, "recorder", "hou", team=OTHER_TEAM),
    }


@contextmanager
def site(store: str, folder: Path) -> Iterator[Site]:
    """A prepared store, served until the block ends."""
    tokens = prepare(store, folder)
    log = folder / "serve.log"
    with serving(store, log=log) as base:
        yield Site(base, store, tokens, log)
