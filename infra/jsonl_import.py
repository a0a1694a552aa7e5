"""Applies a JSONL file of commands, line by line, in order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from application.commands import BaseCommand, parse_command
from application.ledger import Outcome, ReturnsLedger
from domain.errors import BadInput, Conflict, Refused

# Commands per transaction: large enough to be fast, small enough that a collision
# (which replays the batch command by command) stays cheap.
BATCH_SIZE = 500


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

    def count(self, line: int, outcome: Outcome | Refused) -> None:
        if isinstance(outcome, Refused):
            self.refused.append(
                RefusedLine(line, str(outcome), conflict=isinstance(outcome, Conflict))
            )
        elif outcome is Outcome.STORED:
            self.stored += 1
        else:
            self.already_stored += 1


def parse_line(raw: str) -> BaseCommand:
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as error:
        raise BadInput(f"not valid JSON: {error.msg} (column {error.colno})") from None
    return parse_command(payload)


def import_lines(
    ledger: ReturnsLedger,
    lines: Iterable[str],
    *,
    on_lines: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Each line stands alone: a refused line stores nothing, earlier lines stay stored."""
    result = ImportResult()
    batch: list[tuple[int, BaseCommand]] = []

    def flush() -> None:
        outcomes = ledger.execute_batch([command for _, command in batch])
        for (number, _), outcome in zip(batch, outcomes, strict=True):
            result.count(number, outcome)
        if on_lines is not None:
            on_lines(len(batch))
        batch.clear()

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            batch.append((number, parse_line(raw)))
        except Refused as refusal:
            result.count(number, refusal)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    result.refused.sort(key=lambda refused: refused.line)
    return result
