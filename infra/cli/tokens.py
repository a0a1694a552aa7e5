"""``quarterly token create|list|revoke``: API tokens, issued and revoked as events."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from application import access
from domain.access import Role
from domain.canonical import canonical_name
from infra.cli.errors import clear_failures, stderr
from infra.cli.options import ListFormat, ListFormatOption
from infra.cli.session import operator, using_store
from infra.cli.tables.tokens import print_tokens
from infra.cli.terminal import print_json, stdout
from infra.inputs import parse_text

token_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="recorder, auditor or admin")],
    team: Annotated[
        str | None, typer.Option(help="For recorders: the theme whose targets they record")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Recorded as the actor of its events")] = None,
) -> None:
    """Create a token; it is printed once, last, and only its hash is stored."""
    with using_store(ctx, create=True) as quarterly:
        principal, secret = access.issue_token(
            quarterly.ledger, Role.parse(role), team=team, name=name, actor=operator()
        )
        themes = {canonical_name(theme) for theme in quarterly.caught_up().themes()}
    if principal.team is not None and canonical_name(principal.team) not in themes:
        stderr.print(
            f"warning: no target has the theme {principal.team!r} yet; this token records "
            "nothing until one does"
            + (f" (themes: {', '.join(sorted(themes))})" if themes else ""),
            markup=False,
        )
    stderr.print(
        f"created {principal.role.value} token {principal.name!r}"
        + (f" for team {principal.team!r}" if principal.team else "")
        + "; store it now, it is not shown again:",
        markup=False,
    )
    sys.stdout.write(secret + "\n")


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    format: ListFormatOption = ListFormat.table,  # noqa: A002
) -> None:
    """Every token with its role, team and whether it is revoked (never the secret)."""
    with using_store(ctx) as quarterly:
        tokens = access.list_tokens(quarterly.ledger)
    if format is ListFormat.json:
        print_json(tokens)
        return
    print_tokens(tokens, stdout)


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Revoke a token by name; it is refused from the next request on."""
    with clear_failures():
        name = parse_text(name, field="name")
    with using_store(ctx) as quarterly:
        access.revoke_token(quarterly.ledger, name, actor=operator())
    stdout.print(f"revoked token {name!r}", markup=False)
