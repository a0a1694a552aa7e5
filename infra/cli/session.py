"""What every command shares: the settings read once by the ``--store`` callback, the store
opened through the composition root (``infra/bootstrap.py``), what follows a write, and who
is running the command."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import typer

from application.audit import Seal
from infra.bootstrap import Quarterly, opened
from infra.cli.errors import clear_failures, stderr
from infra.settings import Settings


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the ``--store`` callback put on the command's context."""
    settings = ctx.obj
    assert isinstance(settings, Settings), "the quarterly callback runs before every command"
    return settings


@contextmanager
def using_store(
    ctx: typer.Context, *, create: bool = False, dry_run: bool = False
) -> Iterator[Quarterly]:
    """The configured store, opened by ``infra.bootstrap.opened`` and closed afterwards;
    any failure while it is open (refusals, the store's own errors) ends the command with
    one clear line. Reading commands leave ``create`` False: a store that does not exist is
    refused rather than made empty."""
    with clear_failures(), opened(settings_of(ctx), create=create, dry_run=dry_run) as quarterly:
        yield quarterly


def after_writes(quarterly: Quarterly) -> None:
    """Read models caught up, new seals published and year-end summaries revised after
    stored commands; each published seal and revised summary is noted on stderr."""
    published, revised = quarterly.after_writes(date.today())
    _announce(published, quarterly.settings)
    for result in revised:
        stderr.print(f"{result.job.year}: {result.outcome}", markup=False)


def publish_seals(quarterly: Quarterly) -> None:
    """Publishes new seals to QUARTERLY_SEAL_LOG (when set) and notes each on stderr."""
    _announce(quarterly.publish_seals(), quarterly.settings)


def _announce(published: list[Seal], settings: Settings) -> None:
    for seal in published:
        stderr.print(
            f"published the seal of {seal.year} {seal.quarter} to {settings.seal_log}",
            markup=False,
        )


def operating_system_user() -> str:
    """Who runs this process, as the operating system names them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        return f"uid:{os.getuid()}"


def operator() -> str:
    """The actor of what an operator does from the command line (tokens)."""
    return f"cli:{operating_system_user()}"
