"""Applies a JSONL file of commands, line by line, in order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from application.commands import parse_command
from application.ledger import Outcome, ReturnsLedger
from domain.errors import Conflict, Refused


@dataclass(frozen=True)
class RefusedLine:
    line: int
    message: str
    conflict: bool = False


@dataclass
class ImportResult:
    stored: int = 0
    already_stored: int = 0
    refused: list[RefusedLine] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return self.stored + self.already_stored + len(self.refused)


def import_lines(
    ledger: ReturnsLedger,
    lines: Iterable[str],
    *,
    actor: str | None = None,
    on_line: Callable[[], None] | None = None,
) -> ImportResult:
    """Each line stands alone: a refused line stores nothing, earlier lines stay stored."""
    result = ImportResult()
    for number, raw in enumerate(lines, start=1):
        if on_line is not None:
            on_line()
        if not raw.strip():
            continue
        try:
            payload = json.loads(raw)
        except json.JSONDecodeError as error:
            result.refused.append(
                RefusedLine(number, f"not valid JSON: {error.msg} (column {error.colno})")
            )
            continue
        if isinstance(payload, dict) and actor is not None:
            payload.setdefault("actor", actor)
        try:
            outcome = ledger.execute(parse_command(payload))
        except Refused as refusal:
            result.refused.append(
                RefusedLine(number, str(refusal), conflict=isinstance(refusal, Conflict))
            )
            continue
        if outcome is Outcome.STORED:
            result.stored += 1
        else:
            result.already_stored += 1
    return result
