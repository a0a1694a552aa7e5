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
missed, and the full check finds that). The page says when the whole chain was last
recomputed; ``quarterly verify`` and the worker's nightly check recompute it all.
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
    UTC)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    position: int
    digest: str
    events: int
    seals: list[Seal]
    checked_at: str
    whole_chain_at: str


class CheckpointStore(Protocol):
    """Where the last checkpoint is kept (see ``infra/verification_checkpoints.py``)."""

    def load(self) -> Checkpoint | None: ...

    def save(self, checkpoint: Checkpoint) -> None:
        """Keeps ``checkpoint`` unless a checkpoint further along is kept already."""
        ...

    def discard(self) -> None:
        """Forgets the checkpoint: the next check recomputes the whole chain."""
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
    """Checks the chain from the kept checkpoint on (``whole``, or no checkpoint kept: from
    the first event). Keeps the checkpoint this check reached when nothing was wrong, and
    discards the kept one when something was, so that the next check is a whole one."""
    since = None if whole else kept.load()
    check = _from_checkpoint(recorder, mapper, since, now.isoformat(), progress)
    if check.checkpoint is not None:
        kept.save(check.checkpoint)
    else:  # something is wrong: no later check may start past it and call the chain intact
        kept.discard()
    return check


def _from_checkpoint(
    recorder: ChainedRecorder,
    mapper: Mapper[UUID],
    since: Checkpoint | None,
    now: str,
    progress: Progress | None,
) -> ChainCheck:
    if since is None:
        return _whole(recorder, mapper, now, progress)
    link = recorder.chain_before(since.position + 1) if since.position else None
    if since.position and link != (since.position, since.digest):
        problem = (
            f"the chain's link at event {since.position} is no longer the one verified at "
            f"{since.checked_at[:19]} UTC: the chain was rewritten since"
        )
        result = Verification(
            events=since.events, head=since.digest, problem=problem, position=since.position
        )
        return ChainCheck(result, since.seals, since.position, None)
    try:
        new_seals = seals(recorder, mapper, start=since.position + 1)
    except Exception as error:  # as verify(): an unreadable close is a finding, not a crash
        problem = f"a quarter-close event cannot be read: {error}"
        result = Verification(events=since.events, head=since.digest, problem=problem)
        return ChainCheck(result, since.seals, since.position + 1, None)
    if any(seal.legacy and seal.sealed_position <= since.position for seal in new_seals):
        return _whole(recorder, mapper, now, progress)  # its history lies before the checkpoint
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
    recorder: ChainedRecorder, mapper: Mapper[UUID], now: str, progress: Progress | None
) -> ChainCheck:
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
