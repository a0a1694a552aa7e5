"""What auditors rely on: the hash chain over stored events, its seals, export and restore.

The recorder (see ``infra/chained_recorders.py``) extends the chain in the same transaction
as every insert; these use cases recompute it from the stored rows and compare.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification, StoredEvent

from application.event_topics import topics_of
from domain.errors import Conflict
from domain.hash_chain import GENESIS, link
from domain.quarter_close import ReportingYear

ChainLink = tuple[int, str]
Progress = Callable[[int], None]
BATCH = 2000
QUARTER_CLOSED_TOPICS = topics_of(ReportingYear.QuarterClosed)
EXPORT_FORMAT = "quarterly-events"


class StoredRow(NamedTuple):
    position: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


@runtime_checkable
class ChainedRecorder(Protocol):
    def select_stored(self, start: int, limit: int) -> list[StoredRow]: ...

    def select_chain(self, start: int, limit: int) -> list[ChainLink]: ...

    def chain_head(self) -> ChainLink | None: ...

    def chain_before(self, position: int) -> ChainLink | None:
        """The last link of the chain before ``position`` (None if there is none)."""
        ...

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
    ) -> Sequence[Notification]: ...

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None: ...

    def max_notification_id(self) -> int | None: ...


@dataclass(frozen=True)
class Seal:
    """A quarter close's seal: the chain digest of every event stored before the close.

    ``sealed_position`` is the last event the seal covers; ``close_position`` the close
    event itself. Closes stored before seals were taken under the insert lock (``legacy``)
    sealed the head as read before the insert, which may lie further back.
    """

    year: str
    quarter: str
    digest: str
    sealed_position: int
    closed_at: str
    actor: str | None
    close_position: int = 0
    legacy: bool = False

    def document(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "quarter": self.quarter,
            "digest": self.digest,
            "sealed_position": self.sealed_position,
            "closed_at": self.closed_at,
            "actor": self.actor,
        }


@dataclass(frozen=True)
class Verification:
    events: int
    head: str
    problem: str | None = None
    position: int | None = None
    sealed_position: int | None = None  # for verify --seal: where the seal was found
    unknown_seal: bool = False  # for verify --seal: no close of this store sealed it

    @property
    def ok(self) -> bool:
        return self.problem is None


def _batches(
    fetch: Callable[[int, int], list[Any]], position_of: Callable[[Any], int]
) -> Iterator[Any]:
    start = 1
    while True:
        batch = fetch(start, BATCH)
        yield from batch
        if len(batch) < BATCH:
            return
        start = position_of(batch[-1]) + 1


def _describe(row: StoredRow) -> str:
    return (
        f"event {row.position} ({row.topic.rpartition(':')[2] or '?'} of "
        f"{row.originator_id} v{row.originator_version})"
    )


def _digest_of(previous: str, row: StoredRow) -> str | None:
    try:
        return link(previous, row.originator_id, row.originator_version, row.topic, row.state)
    except (ValueError, TypeError):
        return None  # an aggregate id that is no longer a UUID: altered


def seals(recorder: ChainedRecorder, mapper: Mapper[UUID]) -> list[Seal]:
    """Every quarter close with the digest it sealed, oldest first."""
    found = []
    for notification in _batches(
        lambda start, limit: list(
            recorder.select_notifications(start, limit, topics=QUARTER_CLOSED_TOPICS)
        ),
        lambda n: int(n.id),
    ):
        event = mapper.to_domain_event(notification)
        if not isinstance(event, ReportingYear.QuarterClosed) or event.seal is None:
            continue
        legacy = event.sealed_position is not None
        if legacy:
            sealed_position = int(event.sealed_position or 0)
        else:
            before = recorder.chain_before(int(notification.id))
            sealed_position = before[0] if before else 0
        found.append(
            Seal(
                event.year,
                event.quarter,
                event.seal,
                sealed_position,
                event.timestamp.isoformat(),
                event.actor,
                close_position=int(notification.id),
                legacy=legacy,
            )
        )
    return found


def verify(
    recorder: ChainedRecorder, mapper: Mapper[UUID], progress: Progress | None = None
) -> Verification:
    """Recomputes the chain from the stored rows; the first difference is named."""
    try:
        found_seals = seals(recorder, mapper)
    except Exception as error:
        return Verification(0, GENESIS, f"a quarter-close event cannot be read: {error}")
    # A seal covers every event before its close; a legacy seal, the events up to the
    # position it names.
    at_close = {s.close_position: s for s in found_seals if not s.legacy}
    at_position = {s.sealed_position: s for s in found_seals if s.legacy}
    chain = _batches(recorder.select_chain, lambda c: int(c[0]))
    previous, count = GENESIS, 0
    for row in _batches(recorder.select_stored, lambda r: int(r.position)):
        stored = next(chain, None)
        while stored is not None and stored[0] < row.position:
            return Verification(
                count,
                previous,
                f"event {stored[0]} is missing: it was deleted from the store",
                stored[0],
            )
        if stored is None or stored[0] > row.position:
            return Verification(
                count,
                previous,
                f"{_describe(row)} is not in the chain: it was inserted after the fact",
                row.position,
            )
        closing = at_close.get(row.position)
        if closing is not None and closing.digest != previous:
            return Verification(
                count,
                previous,
                f"the seal of {closing.year} {closing.quarter} does not match the history "
                f"before its close (event {row.position})",
                row.position,
            )
        digest = _digest_of(previous, row)
        if digest != stored[1]:
            return Verification(
                count,
                previous,
                f"{_describe(row)} does not match its "
                "digest: it was altered, or events were reordered",
                row.position,
            )
        seal = at_position.get(row.position)
        if seal is not None and seal.digest != digest:
            return Verification(
                count,
                previous,
                f"the seal of {seal.year} {seal.quarter} "
                f"does not match the history up to event {row.position}",
                row.position,
            )
        previous, count = stored[1], count + 1
        if progress is not None:
            progress(row.position)
    leftover = next(chain, None)
    if leftover is not None:
        return Verification(
            count,
            previous,
            f"event {leftover[0]} is missing: it was deleted from the store",
            leftover[0],
        )
    return Verification(count, previous)


@dataclass(frozen=True)
class PublishedSeal:
    """A seal as it was published outside the store (see ``infra/seal_publication.py``)."""

    year: str
    quarter: str
    digest: str
    published_at: str | None = None


def verify_published(
    recorder: ChainedRecorder,
    mapper: Mapper[UUID],
    published: Sequence[PublishedSeal],
    progress: Progress | None = None,
) -> Verification:
    """The whole store verified, and every published seal found in it: a store cannot prove
    its own tail, so a close removed with everything after it (events and chain rows) is
    caught only by a seal published before. Names the first published seal not found."""
    result = verify(recorder, mapper, progress)
    if not result.ok:
        return result
    # verify() proved each stored seal against the recomputed history before its close.
    in_store = {(s.year, s.quarter, s.digest) for s in seals(recorder, mapper)}
    for seal in published:
        if (seal.year, seal.quarter, seal.digest) not in in_store:
            when = f", published {seal.published_at}" if seal.published_at else ""
            return Verification(
                result.events,
                result.head,
                f"the published seal of {seal.year} {seal.quarter} ({seal.digest}{when}) is "
                "not in the store: its close, or events before it, were removed or altered",
            )
    return result


def verify_seal(
    recorder: ChainedRecorder, mapper: Mapper[UUID], seal: str, progress: Progress | None = None
) -> Verification:
    """Proves that the stored history up to a seal of this store is unchanged.

    A digest that no quarter close of this store sealed is reported as unknown
    (``unknown_seal``), not as altered history: nothing was compared."""
    if seal not in {found.digest for found in seals(recorder, mapper)}:
        return Verification(
            0,
            GENESIS,
            f"seal {seal} is unknown: no quarter close of this store sealed it (`quarterly "
            "seals` lists those that did). If this store published it, its close was removed "
            "or rewritten: check with verify --published",
            unknown_seal=True,
        )
    previous, count = GENESIS, 0
    for row in _batches(recorder.select_stored, lambda r: int(r.position)):
        digest = _digest_of(previous, row)
        if digest is None:
            break
        previous, count = digest, count + 1
        if digest == seal:
            return Verification(count, previous, sealed_position=row.position)
        if progress is not None:
            progress(row.position)
    return Verification(
        count,
        previous,
        "no event's digest equals this seal any more: the history up to it was altered",
    )


def export_lines(recorder: ChainedRecorder, progress: Progress | None = None) -> Iterator[str]:
    """The export file: a header line, then every stored event with its digest."""
    head = recorder.chain_head()
    yield (
        json.dumps({"format": EXPORT_FORMAT, "version": 1, "head": head[1] if head else GENESIS})
        + "\n"
    )
    previous = GENESIS
    for row in _batches(recorder.select_stored, lambda r: int(r.position)):
        digest = _digest_of(previous, row)
        if digest is None:
            raise Conflict(f"{_describe(row)} cannot be exported: it was altered")
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
    for _ in _checked_events(read()):
        pass
    already = (digest for _, digest in _batches(recorder.select_chain, lambda c: int(c[0])))
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
    return Verification(count, head)


def _checked_events(lines: Iterator[str]) -> Iterator[tuple[StoredEvent, str]]:
    """Each exported event with its digest, once the digest is proved to chain on."""
    head = _header(next(lines, ""))
    previous, count = GENESIS, 0
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        row, stored, digest = _parse_event_line(line, number)
        previous = _digest_of(previous, row) or ""
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


def _header(line: str) -> str:
    try:
        header = json.loads(line)
        if header.get("format") != EXPORT_FORMAT:
            raise ValueError
        return str(header["head"])
    except (ValueError, KeyError, AttributeError, TypeError):
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
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Conflict(f"line {number}: not an exported event ({error})", field="file") from None
