"""What auditors rely on: the hash chain over stored events, its seals, export and restore.

The recorder (see ``infra/chained_recorders.py``) extends the chain in the same transaction
as every insert; these use cases recompute it from the stored rows and compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification, StoredEvent
from pydantic import BaseModel, ConfigDict, Field, model_serializer
from typing_extensions import TypedDict

from application.event_topics import topics_of
from domain.hash_chain import GENESIS, link, parse_digest
from domain.quarter_close import ReportingYear

ChainLink = tuple[int, str]
Progress = Callable[[int], None]
BATCH = 2000
QUARTER_CLOSED_TOPICS = topics_of(ReportingYear.QuarterClosed)
_STORED_ID = re.compile("[0-9a-f]{32}")


class StoredRow(NamedTuple):
    """One stored event as the store holds it, unconverted. The types are what an event
    as written has; a row edited in place may hold anything (SQLite keeps whatever type it
    is given: text for the state, a blob for the topic, NULL), which
    :func:`well_formed` tells apart."""

    position: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


def well_formed(row: StoredRow) -> bool:
    """Whether every field of ``row`` has the type and form an event is written with (the
    aggregate id as 32 lower-case hex digits, as SQLite stores it and as the recorders read
    PostgreSQL's; the version an integer, the topic text, the state bytes). The same id
    written another way (upper case, with dashes) is the same UUID, but no longer the
    aggregate the application looks up."""
    fields: tuple[object, ...] = tuple(row)
    position, originator_id, version, topic, state = fields
    return (
        type(position) is int
        and isinstance(originator_id, str)
        and _STORED_ID.fullmatch(originator_id) is not None
        and type(version) is int
        and isinstance(topic, str)
        and isinstance(state, bytes)
    )


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


class Seal(BaseModel):
    """A quarter close's seal: the chain digest of every event stored before the close.

    ``sealed_position`` is the last event the seal covers; ``close_position`` the close
    event itself. Closes stored before seals were taken under the insert lock (``legacy``)
    sealed the head as read before the insert, which may lie further back. Those two are
    for ``verify`` only: the published document (``seals --format json``, the API) leaves
    them out.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: str
    quarter: str
    digest: str
    sealed_position: int
    closed_at: str
    actor: str | None
    close_position: int = Field(default=0, exclude=True)
    legacy: bool = Field(default=False, exclude=True)

    def document(self) -> dict[str, Any]:
        """The seal as it is published: year, quarter, digest, sealed_position, closed_at,
        actor."""
        return self.model_dump(mode="json")


class VerificationDocument(TypedDict):
    """What ``verify`` answers over HTTP, in this order."""

    ok: bool
    events: int
    head: str
    problem: str | None
    position: int | None
    unknown_seal: bool


class Verification(BaseModel):
    """The outcome of recomputing the chain: ``events`` checked, the ``head`` digest reached,
    and the first ``problem`` found (at ``position``), if any."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    events: int
    head: str
    problem: str | None = None
    position: int | None = None
    sealed_position: int | None = None  # for verify --seal: where the seal was found
    reached: int = 0  # the position of the last event checked (0: none)
    unknown_seal: bool = False  # for verify --seal: no close of this store sealed it

    @property
    def ok(self) -> bool:
        """True when nothing stored was altered, removed or reordered."""
        return self.problem is None

    @model_serializer
    def document(self) -> VerificationDocument:
        """The document an auditor reads, ``ok`` first; it is also the model's serialised
        form (and so its OpenAPI schema). ``unknown_seal``: asked to prove a seal, no close
        of this store sealed that digest (nothing was compared)."""
        return {
            "ok": self.ok,
            "events": self.events,
            "head": self.head,
            "problem": self.problem,
            "position": self.position,
            "unknown_seal": self.unknown_seal,
        }


def stored_batches(
    fetch: Callable[[int, int], list[Any]], position_of: Callable[[Any], int], start: int = 1
) -> Iterator[Any]:
    """Every item ``fetch(start, limit)`` returns, batch after batch, from ``start``."""
    while True:
        batch = fetch(start, BATCH)
        yield from batch
        if len(batch) < BATCH:
            return
        start = position_of(batch[-1]) + 1


def describe_row(row: StoredRow) -> str:
    """``event 12 (Target.FigureReported of <id> v3)``: how messages name a stored event
    (any field of an edited row as it is found)."""
    topic: object = row.topic
    kind = topic.rpartition(":")[2] if isinstance(topic, str) else ""
    return f"event {row.position} ({kind or '?'} of {row.originator_id} v{row.originator_version})"


def digest_of(previous: str, row: StoredRow) -> str | None:
    """The chain link of ``row`` after ``previous``; None if the row cannot be hashed, as
    only an altered row cannot: a field of another type than the event was written with
    (even the same text stored as text instead of bytes), an aggregate id that is no
    longer a UUID."""
    if not well_formed(row):
        return None
    try:
        return link(previous, row.originator_id, row.originator_version, row.topic, row.state)
    except (ValueError, TypeError):
        return None  # an aggregate id that is no longer a UUID: altered


def seals(recorder: ChainedRecorder, mapper: Mapper[UUID], start: int = 1) -> list[Seal]:
    """Every quarter close (stored at position ``start`` or later) with the digest it
    sealed, oldest first."""
    found = []
    for notification in stored_batches(
        lambda first, limit: list(
            recorder.select_notifications(first, limit, topics=QUARTER_CLOSED_TOPICS)
        ),
        lambda n: int(n.id),
        start,
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
                year=event.year,
                quarter=event.quarter,
                digest=event.seal,
                sealed_position=sealed_position,
                closed_at=event.timestamp.isoformat(),
                actor=event.actor,
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
        return Verification(
            events=0, head=GENESIS, problem=f"a quarter-close event cannot be read: {error}"
        )
    return recompute_from(recorder, found_seals, 1, GENESIS, 0, progress)


def recompute_from(
    recorder: ChainedRecorder,
    found_seals: Sequence[Seal],
    start: int,
    previous: str,
    count: int,
    progress: Progress | None = None,
) -> Verification:
    """Recomputes the chain from position ``start`` on, after the link ``previous`` that
    ``count`` events reached; ``found_seals`` are the seals whose closes lie in that range."""
    # A seal covers every event before its close; a legacy seal, the events up to the
    # position it names.
    at_close = {s.close_position: s for s in found_seals if not s.legacy}
    at_position = {s.sealed_position: s for s in found_seals if s.legacy}
    chain = stored_batches(recorder.select_chain, lambda c: int(c[0]), start)
    reached = start - 1
    for row in stored_batches(recorder.select_stored, lambda r: int(r.position), start):
        stored = next(chain, None)
        while stored is not None and stored[0] < row.position:
            return Verification(
                events=count,
                head=previous,
                problem=f"event {stored[0]} is missing: it was deleted from the store",
                position=stored[0],
            )
        if stored is None or stored[0] > row.position:
            return Verification(
                events=count,
                head=previous,
                problem=f"{describe_row(row)} is not in the chain: it was inserted after the fact",
                position=row.position,
            )
        closing = at_close.get(row.position)
        if closing is not None and closing.digest != previous:
            return Verification(
                events=count,
                head=previous,
                problem=f"the seal of {closing.year} {closing.quarter} does not match the history "
                f"before its close (event {row.position})",
                position=row.position,
            )
        digest = digest_of(previous, row)
        if digest != stored[1]:
            return Verification(
                events=count,
                head=previous,
                problem=f"{describe_row(row)} does not match its "
                "digest: it was altered, or events were reordered",
                position=row.position,
            )
        seal = at_position.get(row.position)
        if seal is not None and seal.digest != digest:
            return Verification(
                events=count,
                head=previous,
                problem=f"the seal of {seal.year} {seal.quarter} "
                f"does not match the history up to event {row.position}",
                position=row.position,
            )
        previous, count, reached = stored[1], count + 1, row.position
        if progress is not None:
            progress(row.position)
    leftover = next(chain, None)
    if leftover is not None:
        return Verification(
            events=count,
            head=previous,
            problem=f"event {leftover[0]} is missing: it was deleted from the store",
            position=leftover[0],
        )
    return Verification(events=count, head=previous, reached=reached)


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
                events=result.events,
                head=result.head,
                problem=f"the published seal of {seal.year} {seal.quarter} ({seal.digest}{when}) "
                "is not in the store: its close, or events before it, were removed or altered",
            )
    return result


def verify_seal(
    recorder: ChainedRecorder, mapper: Mapper[UUID], seal: str, progress: Progress | None = None
) -> Verification:
    """Proves that the stored history up to a seal of this store is unchanged.

    A digest that no quarter close of this store sealed is reported as unknown
    (``unknown_seal``), not as altered history: nothing was compared. Raises
    :class:`domain.errors.BadInput` naming ``seal`` when it is not a digest at all."""
    seal = parse_digest(seal)
    if seal not in {found.digest for found in seals(recorder, mapper)}:
        return Verification(
            events=0,
            head=GENESIS,
            problem=f"seal {seal} is unknown: no quarter close of this store sealed it (`quarterly "
            "seals` lists those that did). If this store published it, its close was removed "
            "or rewritten: check with verify --published",
            unknown_seal=True,
        )
    previous, count = GENESIS, 0
    for row in stored_batches(recorder.select_stored, lambda r: int(r.position)):
        digest = digest_of(previous, row)
        if digest is None:
            break
        previous, count = digest, count + 1
        if digest == seal:
            return Verification(events=count, head=previous, sealed_position=row.position)
        if progress is not None:
            progress(row.position)
    return Verification(
        events=count,
        head=previous,
        problem="no event's digest equals this seal any more: the history up to it was altered",
    )
