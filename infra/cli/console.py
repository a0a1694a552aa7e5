"""The ``quarterly`` console script: it loads the command line first, so that Ctrl-C while
the command line loads (about a second) ends as Ctrl-C does later, in one line on stderr
and exit status 130, not in a traceback of Python's imports."""

from __future__ import annotations

import sys


def run() -> None:
    """Loads :mod:`infra.cli.main` and runs it (see :func:`infra.cli.main.run`)."""
    try:
        from infra.cli.main import run as main  # loaded inside the guard
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
    main()
