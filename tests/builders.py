"""Commands for tests, as the contract's JSON objects, with sensible defaults.

Each builder returns a fresh ``dict`` for one command of the sample year ``2016/17`` against
the target ``PW1``; keyword ``fields`` are added or replace (``id=...``, ``actor=...``,
``restatement_reason=...``). Ids are unique unless given, except a definition's, which is
``define-<code>`` (one target, one definition). For a year with many commands in it, use the
bench's workload (:mod:`bench.workload`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any

Command = dict[str, Any]

YEAR = "2016/17"
_numbers = itertools.count(1)


def _command(command_type: str, /, **fields: Any) -> Command:
    return {"type": command_type, "id": f"{command_type}-{next(_numbers)}"} | fields


def define(
    code: str = "PW1",
    *,
    aggregation: str = "sum",
    target: float | None = 110,
    year: str = YEAR,
    **fields: Any,
) -> Command:
    """``define_target``: ``Target <code>`` of the theme Peer support, summed, target 110."""
    return {
        "type": "define_target",
        "id": f"define-{code}" if year == YEAR else f"define-{year}-{code}",
        "year": year,
        "code": code,
        "title": f"Target {code}",
        "theme": "Peer support",
        "aggregation": aggregation,
        "target": target,
    } | fields


def amend(code: str = "PW1", *, reason: str | None = "amended", **changes: Any) -> Command:
    """``amend_target`` of ``code`` with ``changes`` (``reason=None`` leaves it out)."""
    fields = {"reason": reason} if reason is not None else {}
    return _command("amend_target", year=YEAR, code=code) | fields | changes


def engagement(
    date: str = "2016-05-15",
    *,
    code: str = "PW1",
    council: str = "Kent County Council",
    **fields: Any,
) -> Command:
    """``record_engagement``: one engagement with Kent, in Q1 unless ``date`` says else."""
    return _command("record_engagement", year=YEAR, code=code, date=date, council=council) | fields


def figure(quarter: str = "Q1", value: float = 10, *, code: str = "PW1", **fields: Any) -> Command:
    """``report_figure``: ``value`` as the figure of ``quarter``."""
    return _command("report_figure", year=YEAR, code=code, quarter=quarter, value=value) | fields


def rag(quarter: str = "Q1", rating: str = "green", *, code: str = "PW1", **fields: Any) -> Command:
    """``set_rag``: the RAG of ``quarter``."""
    return _command("set_rag", year=YEAR, code=code, quarter=quarter, rag=rating) | fields


def comment(
    quarter: str = "Q1",
    text: str = "on track",
    *,
    kind: str = "delivered",
    code: str = "PW1",
    **fields: Any,
) -> Command:
    """``comment``: commentary of ``kind`` for ``quarter``."""
    return _command("comment", year=YEAR, code=code, quarter=quarter, kind=kind, text=text) | fields


def close(quarter: str = "Q1", **fields: Any) -> Command:
    """``close_quarter`` of ``quarter``."""
    return _command("close_quarter", year=YEAR, quarter=quarter) | fields


def milestone(name: str, due: str, *, project: str = "P", **fields: Any) -> Command:
    """``define_milestone`` ``name`` of ``project``, due on ``due``."""
    return _command("define_milestone", project=project, milestone=name, due=due) | fields


def revise_milestone(name: str, revised_due: str, *, project: str = "P", **fields: Any) -> Command:
    """``revise_milestone``: ``name`` of ``project`` now due on ``revised_due``."""
    return (
        _command("revise_milestone", project=project, milestone=name, revised_due=revised_due)
        | fields
    )


def complete_milestone(
    name: str, completed_on: str, *, project: str = "P", **fields: Any
) -> Command:
    """``complete_milestone``: ``name`` of ``project`` done on ``completed_on``."""
    return (
        _command("complete_milestone", project=project, milestone=name, completed_on=completed_on)
        | fields
    )


def risk(ref: str, impact: int, likelihood: int, **fields: Any) -> Command:
    """``assess_risk``: ``ref`` scored ``impact`` x ``likelihood``."""
    return _command("assess_risk", ref=ref, impact=impact, likelihood=likelihood) | fields


def jsonl(commands: Iterable[Command]) -> str:
    """The text of a JSON Lines file holding ``commands``, one a line."""
    return "".join(json.dumps(command) + "\n" for command in commands)
