"""A new user's mistakes get a clear answer: a mistyped store, an unknown seal, a token
for a team that does not exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli import quarterly

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published_return_2016_17.jsonl"
READERS = [
    ("report", "--year", "2016/17"),
    ("history", "--year", "2016/17", "--code", "PC"),
    ("milestones",),
    ("risks",),
    ("verify",),
    ("seals",),
    ("year-end", "--year", "2016/17"),
    ("token", "list"),
    ("rebuild",),
]


@pytest.mark.parametrize("args", READERS, ids=lambda args: args[0])
def test_reading_a_store_that_does_not_exist_says_so_and_makes_none(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo.db"
    run = quarterly(*args, store=f"sqlite:///{missing}")
    assert run.code == 2, run.stdout + run.stderr
    assert "there is no store" in run.stderr
    assert not missing.exists()


def test_reading_an_empty_postgresql_schema_says_so(store_url: str) -> None:
    run = quarterly("report", "--year", "2016/17", store=store_url)
    assert run.code == 2
    assert "there is no store" in run.stderr


def test_a_dry_run_on_a_new_store_validates_and_makes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "new.db"
    run = quarterly("import", str(PUBLISHED), "--dry-run", store=f"sqlite:///{missing}")
    assert run.code == 0, run.stderr
    assert "would be stored" in run.stdout
    assert not missing.exists()


def test_an_unknown_seal_is_unknown_not_altered_history(store_url: str, tmp_path: Path) -> None:
    close = tmp_path / "close.jsonl"
    close.write_text(
        json.dumps({"type": "close_quarter", "id": "c", "year": "2016/17", "quarter": "Q1"})
    )
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    assert quarterly("import", str(close), store=store_url).code == 0
    run = quarterly("verify", "--seal", "ab" * 32, store=store_url)
    assert run.code == 2
    assert "unknown" in run.stderr
    assert "altered" not in run.stderr
    seals = json.loads(quarterly("seals", "--format", "json", store=store_url).stdout)
    assert quarterly("verify", "--seal", seals[0]["digest"], store=store_url).code == 0


def test_tokens_name_real_teams(store_url: str) -> None:
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    admin = quarterly("token", "create", "--role", "admin", "--team", "X", store=store_url)
    assert admin.code == 2
    assert "only recorder tokens have a team" in admin.stderr
    stranger = quarterly(
        "token", "create", "--role", "recorder", "--team", "Nobody's theme", store=store_url
    )
    assert stranger.code == 0
    assert "warning: no target has the theme" in stranger.stderr
    known = quarterly(
        "token", "create", "--role", "recorder", "--team", "Published return", store=store_url
    )
    assert known.code == 0
    assert "warning" not in known.stderr
