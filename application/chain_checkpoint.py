"""The verification page's check of the hash chain: the whole chain once, then from where
the last good check reached.

A full recomputation reads every stored event (tens of seconds at a million events); a page
cannot wait that long. So each check that finds nothing wrong leaves a *checkpoint*: the
position and chain link it reached, the seals it proved and when the whole chain was last
recomputed from the first event. The next check starts there. It proves that the chain link
at the checkpoint is still the one verified, then recomputes every event stored since, with
the seals of the closes among them.

What it does not prove: that an event *before* the checkpoint was not altered since (the
link at the checkpoint still matches, so only a rewrite that left the chain table alone is
missed, and the whole check finds that). The page says when the whole chain was last
recomputed; ``quarterly verify`` and the worker's daily check recompute it all.

A problem never goes away by itself: the kept checkpoint is then marked *suspect* and kept
for its claim (the chain had this link at this position), and every later check, whole or
not, proves that claim first; so history removed up to or past the checkpoint is named by
every check, although a store cannot otherwise prove its own tail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Mapper
from pydantic import BaseModel, ConfigDict

from application.audit import (
    ChainedRecorder,
    Progress,
    Seal,
    Verification,
    recompute_from,
    seals,
    verify,
)


class Checkpoint(BaseModel):
    """Where a check that found nothing wrong reached.

    ``position`` and ``digest``: the last event checked and its chain link (0 and the
    genesis digest in an empty store); ``events``: how many events the chain holds up to
    it; ``seals``: the seals proved up to it; ``checked_at``: when that check ran;
    ``whole_chain_at``: when the chain was last recomputed from its first event (ISO 8601,
    UTC). ``suspect``: a later check found a problem; the checkpoint is kept for its claim
    (the chain had ``digest`` at ``position``), and checks recompute the whole chain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    position: int
    digest: str
    events: int
    seals: list[Seal]
    checked_at: str
    whole_chain_at: str
    suspect: bool = False  # a problem was found since: every check is whole until one passes


class CheckpointStore(Protocol):
    """Where the last checkpoint is kept (see ``infra/verification_checkpoints.py``)."""

    def load(self) -> Checkpoint | None: ...

    def save(self, checkpoint: Checkpoint) -> None:
        """Keeps ``checkpoint`` unless a checkpoint further along is kept already."""
        ...


@dataclass(frozen=True)
class ChainCheck:
    """A check's outcome: ``result`` (as ``verify`` answers), the ``seals`` known,
    ``recomputed_from`` the first position this check recomputed (1: the whole chain),
    and the ``checkpoint`` it left (None when something was wrong)."""

    result: Verification
    seals: list[Seal]
    recomputed_from: int
    checkpoint: Checkpoint | None


def check_chain(
    recorder: ChainedRecorder,
    mapper: Mapper[UUID],
    kept: CheckpointStore,
    now: datetime,
    *,
    whole: bool = False,
    progress: Progress | None = None,
) -> ChainCheck:
    """Checks the chain from the kept checkpoint on; from the first event when asked
    (``whole``), when none is kept, and while the kept one is suspect. Every check first
    proves the kept checkpoint's claim (the chain's link at its position), so removed or
    rewritten history is named by every check after it, whole or not.

    Keeps the checkpoint this check reached when nothing was wrong. When something was, the
    kept checkpoint is marked suspect (its claim kept), so no later check starts past the
    problem and calls the chain intact."""
    since = kept.load()
    at = now.isoformat()
    broken = _claim_broken(recorder, since)
    if broken is not None:
        check = broken
    elif whole or since is None or since.suspect:
        check = _whole(recorder, mapper, at, progress)
    else:
        check = _from_checkpoint(recorder, mapper, since, at, progress)
    if check.checkpoint is not None:
        kept.save(check.checkpoint)
    elif since is not None and not since.suspect:
        kept.save(since.model_copy(update={"suspect": True}))
    return check


def _claim_broken(recorder: ChainedRecorder, since: Checkpoint | None) -> ChainCheck | None:
    """The problem when the chain no longer has the checkpoint's link at its position."""
    if since is None or not since.position:
        return None
    if recorder.chain_before(since.position + 1) == (since.position, since.digest):
        return None
    problem = (
        f"event {since.position}, checked at {since.checked_at[:19]} UTC, is gone or no longer "
        "has the chain link it had then: events up to it were removed, or the chain was "
        "rewritten"
    )
    result = Verification(
        events=since.events, head=since.digest, problem=problem, position=since.position
    )
    return ChainCheck(result, since.seals, 1, None)


def _from_checkpoint(
    recorder: ChainedRecorder,
    mapper: Mapper[UUID],
    since: Checkpoint,
    now: str,
    progress: Progress | None,
) -> ChainCheck:
    try:
        new_seals = seals(recorder, mapper, start=since.position + 1)
    except Exception as error:  # as verify(): an unreadable close is a finding, not a crash
        problem = f"a quarter-close event cannot be read: {error}"
        result = Verification(events=since.events, head=since.digest, problem=problem)
        return ChainCheck(result, since.seals, since.position + 1, None)
    if any(seal.legacy and seal.sealed_position <= since.position for seal in new_seals):
        return _whole(recorder, mapper, now, progress)  # it seals history before the checkpoint
    result = recompute_from(
        recorder, new_seals, since.position + 1, since.digest, since.events, progress
    )
    known = [*since.seals, *new_seals]
    checkpoint = (
        Checkpoint(
            position=max(result.reached, since.position),
            digest=result.head,
            events=result.events,
            seals=known,
            checked_at=now,
            whole_chain_at=since.whole_chain_at,
        )
        if result.ok
        else None
    )
    return ChainCheck(result, known, since.position + 1, checkpoint)


def _whole(
    recorder: ChainedRecorder,
    mapper: Mapper[UUID],
    now: str,
    progress: Progress | None,
) -> ChainCheck:
    """The whole chain recomputed, leaving a checkpoint at its head when intact."""
    result = verify(recorder, mapper, progress)
    if not result.ok:
        return ChainCheck(result, _seals_if_readable(lambda: seals(recorder, mapper)), 1, None)
    found = seals(recorder, mapper)
    checkpoint = Checkpoint(
        position=result.reached,
        digest=result.head,
        events=result.events,
        seals=found,
        checked_at=now,
        whole_chain_at=now,
    )
    return ChainCheck(result, found, 1, checkpoint)


def _seals_if_readable(read: Callable[[], list[Seal]]) -> list[Seal]:
    try:
        return read()
    except Exception:  # the result already names the close that cannot be read
        return []
