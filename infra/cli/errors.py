"""Every failure becomes one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import typer
from eventsourcing.persistence import PersistenceError
from rich.console import Console
from rich.text import Text

from domain.errors import Refused

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_REFUSED = 2
EXIT_STORE = 3


def fail(message: str, code: int = 1) -> typer.Exit:
    """Prints ``error: message`` on stderr; raise what it returns to exit with ``code``.
    The message is text, never markup, and anything a terminal cannot show is replaced."""
    shown = message.encode("utf-8", "replace").decode("utf-8")
    stderr.print(Text.assemble(("error:", "bold red"), " ", shown), highlight=False)
    return typer.Exit(code)


def output_gone() -> typer.Exit:
    """What to raise when stdout's reader has gone (``quarterly report | head -1``): exit 1
    quietly, as a pipeline expects, with stdout pointed at /dev/null so that nothing
    left in its buffer fails again on the way out."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return typer.Exit(1)


@contextmanager
def clear_failures() -> Iterator[None]:
    """Ends the command with one line on stderr for a refusal (exit 2), a store that
    cannot be used (exit 3) or a file that cannot be read or written (exit 1)."""
    try:
        yield
    except Refused as refusal:
        raise fail(str(refusal), EXIT_REFUSED) from None
    except BrokenPipeError:
        raise output_gone() from None
    except (psycopg.Error, sqlite3.Error, PersistenceError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        raise fail(f"the store could not be used: {first_line}", EXIT_STORE) from None
    except OSError as error:
        raise fail(f"{error.strerror or error}: {error.filename or ''}".strip()) from None
