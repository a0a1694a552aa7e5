"""Applies a JSON Lines file of commands, line by line, in order (``quarterly import``).

Each line stands alone: a refused line stores nothing and the lines before and after it are
still applied. Commands are stored in batches (one transaction each) for speed, with the same
outcome as one by one.
"""

from __future__ import annotations

import codecs
import contextvars
import json
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from application.command_json import decode_command
from application.commands import BaseCommand
from application.ledger import Outcome, ReturnsLedger
from domain.errors import BadInput, Conflict, Refused
from domain.text import check_identifier, shows_something

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
    """How many lines were stored, were already present, and which were refused (sorted)."""

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


class ImportInterrupted(KeyboardInterrupt):
    """The import was stopped part-way (Ctrl-C). ``result`` counts the lines of every batch
    that was stored before it stopped, the batch then being stored included (it is let
    finish: a batch is one transaction); the lines after them were not applied. Importing
    the same file again applies them: the lines already stored are recognised by their
    ``id`` and counted as already present."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("the import was interrupted")
        self.result = result


def jsonl_lines(data: bytes) -> list[bytes]:
    """The lines of a JSON Lines file (jsonlines.org), numbered from 1 by position.

    A line ends at ``\\n`` only: a U+2028 or a form feed inside a string stays in its line, so
    line numbers match what an editor shows. ``\\r\\n`` works (the ``\\r`` is dropped) and a
    UTF-8 byte order mark at the start, as spreadsheets write one, is ignored.
    """
    lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    return [line.removesuffix(b"\r") for line in lines]


def import_lines(
    ledger: ReturnsLedger,
    lines: Iterable[str | bytes | Refused],
    *,
    actor: str | None = None,
    on_lines: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Applies each non-blank line as a command, numbering lines from 1 by position.

    ``actor`` is recorded for commands that name none (a command's own ``actor`` wins).
    A line that cannot be read (not UTF-8, not JSON, not a command) is refused with its
    number and reason; the others are applied. A line given as a refusal already is counted
    as refused. Raises BadInput for an unstorable ``actor``, and ImportInterrupted (with
    what was counted so far) when interrupted; store errors propagate.
    """
    if actor is not None:
        check_identifier(actor, field="actor")
        if not shows_something(actor):
            raise BadInput("must name who imports the file", field="actor")
    result = ImportResult()
    batch: list[tuple[int, BaseCommand]] = []
    try:
        with _StoredInTurn(ledger, result, on_lines) as storing:
            for number, raw in enumerate(lines, start=1):
                if isinstance(raw, Refused):  # refused before it was a command (bad row)
                    result.count(number, raw)
                    continue
                if not raw.strip():
                    continue
                try:
                    command = decode_command(raw)
                except Refused as refusal:
                    result.count(number, refusal)
                    continue
                if actor is not None and command.actor is None:
                    command = command.model_copy(update={"actor": actor})
                batch.append((number, command))
                if len(batch) >= batch_size:
                    storing.submit(batch)
                    batch = []
            if batch:
                storing.submit(batch)
    except KeyboardInterrupt as interrupt:
        result.refused.sort(key=lambda refused: refused.line)
        raise ImportInterrupted(result) from interrupt
    result.refused.sort(key=lambda refused: refused.line)
    return result


# A batch being stored: its numbered commands and the outcomes to come.
_InFlight = tuple[list[tuple[int, BaseCommand]], Future[list[Outcome | Refused]]]


class _StoredInTurn:
    """Stores each batch of an import while the next one is read and checked: one batch
    in flight at a time, each decided after the one before it is stored, so the outcome
    is that of storing them one after the other. (A batch's time is a tenth waiting for
    the database, which reading the next batch now fills.)

    The batch runs in the caller's context (``recorded_at`` and the like). A store error
    is raised by the next :meth:`submit` or on leaving the block; leaving the block waits
    for the batch in flight, so nothing is left half-done behind the caller.
    """

    def __init__(
        self,
        ledger: ReturnsLedger,
        result: ImportResult,
        on_lines: Callable[[int], None] | None,
    ) -> None:
        self._ledger = ledger
        self._result = result
        self._on_lines = on_lines
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        self._in_flight: _InFlight | None = None

    def __enter__(self) -> _StoredInTurn:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self._settle()
            elif issubclass(kind, KeyboardInterrupt):
                self._settle_interrupted()
        except KeyboardInterrupt:  # while the last batch was being stored
            self._settle_interrupted()
            raise
        finally:
            self._pool.shutdown(wait=True)

    def _settle_interrupted(self) -> None:
        """Stopped part-way: the batch in flight is one transaction, let finish (the process
        could not end before its thread anyway) and counted if it was stored. Further
        interrupts while it finishes are absorbed, so that the counts stay exact."""
        while True:
            try:
                self._settle()
            except KeyboardInterrupt:
                continue
            except Exception:  # the batch failed: it stored nothing
                self._in_flight = None
            return

    def submit(self, batch: list[tuple[int, BaseCommand]]) -> None:
        """Counts the batch before (waiting for it), then starts storing ``batch``."""
        self._settle()
        commands = [command for _, command in batch]
        context = contextvars.copy_context()
        self._in_flight = (
            batch,
            self._pool.submit(context.run, self._ledger.execute_batch, commands),
        )

    def _settle(self) -> None:
        if self._in_flight is None:
            return
        batch, pending = self._in_flight
        outcomes = pending.result()  # interrupted while waiting, the batch is still in flight
        self._in_flight = None
        for (number, _), outcome in zip(batch, outcomes, strict=True):
            self._result.count(number, outcome)
        if self._on_lines is not None:
            self._on_lines(len(batch))


def import_sample(
    ledger: ReturnsLedger,
    lines: Iterable[bytes],
    *,
    on_lines: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Loads shipped sample data: each line ``{"recorded_at": ISO-8601, "command": {...}}``,
    the command recorded at that time, so the sample tells the story of a year (its facts
    recorded as they happened). Only sample data sets the clock; raises ValueError for a
    line that is not such an entry (the file is ours, so that is a bug, not bad input)."""
    result = ImportResult()
    batch: list[tuple[int, BaseCommand, datetime]] = []

    def flush() -> None:
        commands = [command for _, command, _ in batch]
        outcomes = ledger.execute_batch(commands, [moment for _, _, moment in batch])
        for (number, _, _), outcome in zip(batch, outcomes, strict=True):
            result.count(number, outcome)
        if on_lines is not None:
            on_lines(len(batch))
        batch.clear()

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        entry = json.loads(raw)
        moment = datetime.fromisoformat(entry["recorded_at"])
        batch.append((number, decode_command(json.dumps(entry["command"])), moment))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return result
