"""The names of the return's cells: built here by the projection, parsed here by readers.

A cell is one value of a year's return, keyed ``(year, code, cell)``; ``code`` is a target's
code, or :data:`YEAR_CELLS` for cells of the year itself. Cell names are text so that every
version of every cell shares the two tables (``qr_cells``, ``qr_cell_versions``).
"""

from __future__ import annotations

import functools

from domain.calendar import Quarter
from domain.rag import CommentaryKind

YEAR_CELLS = ""  # the ``code`` of cells that belong to the year, not to one target

YEAR = "year"  # the period of cells that count over the whole year
DEFINITION = "definition"  # a target's definition, with its display order
YEAR_END = "year_end"  # the year-end summary (year cell)
_RESTATEMENT = "restatement:"


def reported(quarter: Quarter | str) -> str:
    """The figure reported for a quarter."""
    return f"reported:{_quarter(quarter)}"


def engaged(quarter: Quarter | str) -> str:
    """The sum of the counts of the engagements recorded for a quarter."""
    return f"engaged:{_quarter(quarter)}"


def councils(period: Quarter | str) -> str:
    """The number of distinct councils engaged in a quarter, or (period ``year``) the year."""
    return f"councils:{period if period == YEAR else _quarter(period)}"


def rag(quarter: Quarter | str) -> str:
    """The RAG stated for a quarter."""
    return f"rag:{_quarter(quarter)}"


def commentary(quarter: Quarter | str, kind: CommentaryKind | str) -> str:
    """The latest commentary of a kind written for a quarter."""
    return f"comment:{_quarter(quarter)}:{CommentaryKind(kind).value}"


def reminder(quarter: Quarter | str) -> str:
    """The reminder issued before a quarter closed: what was missing, when."""
    return f"reminder:{_quarter(quarter)}"


def closed(quarter: Quarter | str) -> str:
    """A year cell: the quarter's close (time, actor, seal)."""
    return f"closed:{_quarter(quarter)}"


def restatement(position: int) -> str:
    """One restatement, named by its event's position so that they sort in log order."""
    return f"{_RESTATEMENT}{position:012d}"


def is_restatement(cell: str) -> bool:
    return cell.startswith(_RESTATEMENT)


@functools.lru_cache(maxsize=64)
def _quarter(quarter: Quarter | str) -> str:
    """The quarter's name; ValueError for a text that names none (never cached). Cached:
    the projection names a cell per event."""
    return Quarter(quarter).value
