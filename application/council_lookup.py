"""Which registered council an engagement names, however it is written."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from domain.councils import (
    DIRECTORY_ID,
    Council,
    CouncilDirectory,
    CouncilName,
    council_id,
    council_key,
    council_name_id,
)
from domain.errors import BadInput

A = TypeVar("A")
Find = Callable[[type[Any], UUID], Any]


def resolve_council(find: Find, text: str, on: date) -> str | None:
    """The code of the registered council ``text`` names (its code, name or an alias, in
    canonical form: see :func:`domain.councils.council_key`), checked to be a council on
    the date ``on``; None when no register is loaded (any name is then accepted).

    Raises BadInput naming ``council`` for a council the register does not know (with the
    nearest names) or one that was not a council on that date.
    """
    key = council_key(text)
    claim = find(CouncilName, council_name_id(key))
    if isinstance(claim, CouncilName):
        council = find(Council, council_id(claim.code))
        assert isinstance(council, Council), claim.code
        council.check_serving(on)
        return claim.code
    directory = find(CouncilDirectory, DIRECTORY_ID)
    if not isinstance(directory, CouncilDirectory) or not directory.names:
        return None
    raise BadInput(
        f"{text!r} is not a registered council{_nearest(key, directory.names)}",
        field="council",
    )


def _nearest(key: str, names: dict[str, str]) -> str:
    by_key = {council_key(name): name for name in names.values()}
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    if not close:
        return "; give its ONS code, name or an alias (quarterly councils lists them)"
    return "; did you mean " + " or ".join(repr(by_key[found]) for found in close) + "?"
