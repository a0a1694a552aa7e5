"""Every stored event out to a file with its digest, and back into an empty store.

``export-events`` writes a header line, then one line per event; ``restore`` checks every
digest of the file before it stores anything, so a damaged or edited export is refused at
its first bad line with nothing stored.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.audit import (
    BATCH,
    ChainedRecorder,
    Progress,
    StoredRow,
    Verification,
    describe_row,
    digest_of,
    stored_batches,
)
from domain.errors import Conflict
from domain.hash_chain import GENESIS

EXPORT_FORMAT = "quarterly-events"


def export_lines(recorder: ChainedRecorder, progress: Progress | None = None) -> Iterator[str]:
    """The export file: a header line, then every stored event with its digest."""
    head = recorder.chain_head()
    yield (
        json.dumps({"format": EXPORT_FORMAT, "version": 1, "head": head[1] if head else GENESIS})
        + "\n"
    )
    previous = GENESIS
    for row in stored_batches(recorder.select_stored, lambda r: int(r.position)):
        digest = digest_of(previous, row)
        if digest is None:
            raise Conflict(f"{describe_row(row)} cannot be exported: it was altered")
        previous = digest
        yield (
            json.dumps(
                {
                    "position": row.position,
                    "originator_id": str(UUID(row.originator_id)),
                    "originator_version": row.originator_version,
                    "topic": row.topic,
                    "state": base64.b64encode(row.state).decode(),
                    "digest": digest,
                }
            )
            + "\n"
        )
        if progress is not None:
            progress(row.position)


def restore_events(
    recorder: ChainedRecorder, read: Callable[[], Iterator[str]], progress: Progress | None = None
) -> Verification:
    """Inserts an export into an empty store (or finishes an interrupted restore of it).

    The whole file is checked first, so a damaged or edited export is refused at its first
    bad line with nothing stored; events already in the store must be the export's prefix.
    """
    check_export(read)
    already = (digest for _, digest in stored_batches(recorder.select_chain, lambda c: int(c[0])))
    count, head, batch = 0, GENESIS, []
    for stored, digest in _checked_events(read()):
        count, head = count + 1, digest
        in_store = next(already, None)
        if in_store is not None:
            if in_store != digest:
                raise Conflict(
                    "the store is not empty and holds a different history; "
                    "restore only into an empty store",
                    field="store",
                )
            continue
        batch.append(stored)
        if len(batch) >= BATCH:
            recorder.insert_events(batch)
            batch = []
            if progress is not None:
                progress(count)
    if batch:
        recorder.insert_events(batch)
    if next(already, None) is not None:
        raise Conflict(
            "the store holds events that are not in the export; restore only into an empty store",
            field="store",
        )
    return Verification(events=count, head=head)


def _checked_events(lines: Iterator[str]) -> Iterator[tuple[StoredEvent, str]]:
    """Each exported event with its digest, once the digest is proved to chain on."""
    head = _header(next(lines, ""))
    previous, count = GENESIS, 0
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        row, stored, digest = _parse_event_line(line, number)
        previous = digest_of(previous, row) or ""
        if previous != digest:
            raise Conflict(
                f"line {number}: the digest does not match the event: the export "
                "was altered or reordered",
                field="file",
            )
        count += 1
        yield stored, digest
    if count and previous != head:
        raise Conflict("the export ends before its head digest: it is incomplete", field="file")


def check_export(read: Callable[[], Iterator[str]]) -> int:
    """Reads a whole export and proves every digest; returns how many events it holds.
    Raises Conflict naming the first line that is not a proved event, including a file that
    is not UTF-8 text or whose JSON nests too deeply to read."""
    count = 0
    try:
        for _ in _checked_events(read()):
            count += 1
    except UnicodeDecodeError as error:
        raise Conflict(f"the export is not UTF-8 text (byte {error.start})", field="file") from None
    return count


def _header(line: str) -> str:
    try:
        header = json.loads(line)
        if header.get("format") != EXPORT_FORMAT:
            raise ValueError
        return str(header["head"])
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError):
        raise Conflict(
            f"line 1: not a {EXPORT_FORMAT} export (no header line)", field="file"
        ) from None


def _parse_event_line(line: str, number: int) -> tuple[StoredRow, StoredEvent, str]:
    try:
        item = json.loads(line)
        row = StoredRow(
            number,
            str(UUID(item["originator_id"])),
            int(item["originator_version"]),
            str(item["topic"]),
            base64.b64decode(item["state"], validate=True),
        )
        stored = StoredEvent(
            originator_id=UUID(row.originator_id),
            originator_version=row.originator_version,
            topic=row.topic,
            state=row.state,
        )
        return row, stored, str(item["digest"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise Conflict(
            f"line {number}: not an exported event ({type(error).__name__})", field="file"
        ) from None
