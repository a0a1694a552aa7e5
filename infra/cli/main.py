"""``quarterly``: the typer app, the ``--store`` callback and the console script.

The commands live one module per group (``returns``, ``registers``, ``audit``, ``tokens``,
``operations``); each is thin: parse, call one use case or reader, render (``tables/`` for
the terminal, ``infra/exports`` for documents). They are registered here, in the order
``quarterly --help`` lists them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated, Any, cast

import typer
from pydantic import ValidationError

from application.commands import in_plain_words
from infra.cli import audit, councils, operations, registers, returns, tokens
from infra.cli.errors import clear_failures, output_gone, stderr
from infra.settings import load_settings

app = typer.Typer(
    name="quarterly",
    help="Quarterly performance returns: targets, figures, RAG, commentary, "
    "milestones and risks, event-sourced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="sqlite:///path/file.db or postgresql://user@host:port/dbname "
            "[env: QUARTERLY_STORE; default: sqlite:///quarterly.db]",
            show_default=False,
        ),
    ] = None,
) -> None:
    # Settings are read once, here; every command finds them on its context (no docstring:
    # typer would show it as the help of `quarterly`).
    with clear_failures():
        settings = load_settings()
    if store:
        settings = settings.model_copy(update={"store": store})
    ctx.obj = settings


app.command()(returns.demo)
app.command("import")(returns.import_file)
app.command()(returns.report)
app.command("board-pack")(returns.board_pack)
app.command()(returns.history)
app.command()(registers.milestones)
app.command()(registers.projects)
app.command()(registers.risks)
app.add_typer(councils.councils_app, name="councils")
app.command("take-up")(councils.take_up)
app.command()(operations.rebuild)
app.command()(returns.diff)
app.command()(audit.verify)
app.command("seals")(audit.list_seals)
app.command("export-events")(audit.export_events)
app.command()(audit.restore)
app.command()(operations.bench)
app.add_typer(tokens.token_app, name="token")
app.command()(operations.serve)
app.command()(operations.worker)
app.command("year-end")(returns.year_end)


def run() -> None:
    """The console script. Every failure ends in one line on stderr: a usage error (an
    unknown command or option, a missing or malformed one) exits 2 and names the command's
    ``--help``; a bug exits 70 (``EX_SOFTWARE``), unless QUARTERLY_DEBUG is set; a prompt
    cut short (end of input) exits 1, an interrupt (Ctrl-C) 130. ``quarterly`` or a command
    group alone prints its help and exits 2."""
    if sys.stdout is None:  # started with stdout closed (`>&-`): nothing could be printed
        _fail_in_one_line("standard output is closed: redirect it to a file or /dev/null")
        sys.exit(1)
    try:
        code = app(standalone_mode=False)
    except BrokenPipeError:  # stdout's reader left: quietly, as a pipeline expects
        sys.exit(output_gone().exit_code)
    except Exception as error:
        # Click's exceptions are told by name: typer has vendored click (``typer._click``)
        # since 0.17, and a plain install may bring either.
        kinds = {kind.__name__ for kind in type(error).__mro__}
        if "NoArgsIsHelpError" in kinds:
            with contextlib.suppress(SystemExit):
                app([*sys.argv[1:], "--help"])  # the help as typer draws it
            sys.exit(2)
        if "ClickException" in kinds:
            cause = error.__cause__
            if isinstance(cause, ValidationError) and hasattr(error, "message"):
                # Typer checks an option's value with pydantic: its problem in the words
                # every refusal uses ("must be 10000 or more, not '5'").
                cast(Any, error).message = in_plain_words(cause.errors()[0])
            formatter = getattr(error, "format_message", None)
            message = str(formatter() if callable(formatter) else error)
            context = getattr(error, "ctx", None)
            if "UsageError" in kinds:
                command = context.command_path if context is not None else "quarterly"
                if command == "quarterly":  # raised while parsing: ctx is the root's
                    command = _command_path(sys.argv[1:])
                message += f" (see `{command} --help`)"
            _fail_in_one_line(message)
            sys.exit(getattr(error, "exit_code", 2))
        if "Abort" in kinds:  # click's word for a prompt's input ending (and, before typer
            if isinstance(error.__cause__, KeyboardInterrupt):  # 0.17, for Ctrl-C)
                _fail_in_one_line("interrupted")
                sys.exit(130)
            _fail_in_one_line("aborted: the input ended")
            sys.exit(1)
        if os.environ.get("QUARTERLY_DEBUG"):
            raise
        _fail_in_one_line(
            f"internal error ({type(error).__name__}: {error}); set QUARTERLY_DEBUG=1 to see where"
        )
        sys.exit(70)
    if code == 130:  # typer turns Ctrl-C into exit status 130, silently
        _fail_in_one_line("interrupted")
    sys.exit(code if isinstance(code, int) else 0)


def _command_path(args: list[str]) -> str:
    """``quarterly report`` for ``--store URL report --year``: the commands ``args``
    names, as far as they are this app's."""
    path, group = ["quarterly"], typer.main.get_command(app)
    words = iter(args)
    for word in words:
        if word == "--store":
            next(words, None)
        elif not word.startswith("-"):
            commands = getattr(group, "commands", {})
            if word not in commands:
                break
            path.append(word)
            group = commands[word]
    return " ".join(path)


def _fail_in_one_line(message: str) -> None:
    stderr.print(f"error: {' '.join(message.split())}", markup=False)
