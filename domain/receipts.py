"""A receipt per accepted command: what makes every command idempotent.

The receipt's id derives from the command id, so a second attempt collides in the store
itself (across processes and restarts); its digest tells a retry from a conflict.
"""

from __future__ import annotations

from typing import Protocol

from domain.errors import CommandConflict
from domain.identity import receipt_id
from domain.provenance import Provenance, RecordedAggregate


class Receipt(Protocol):
    """What tells a replay of a command from a conflict: kept by the aggregate whose id
    derives from the command id (a ``CommandReceipt``, or the ``Engagement`` itself)."""

    def confirm_same(self, command_id: str, digest: str) -> None: ...


def confirm_same(receipt_digest: str, command_id: str, digest: str) -> None:
    if digest != receipt_digest:
        raise CommandConflict(
            f"command {command_id!r} was already stored with different content", field="id"
        )


class CommandReceipt(RecordedAggregate):
    class Accepted(RecordedAggregate.Created):
        class_version = 1

        command_type: str
        digest: str

    def __init__(self, command_type: str, digest: str) -> None:
        self.command_type = command_type
        self.digest = digest

    @classmethod
    def accept(cls, command_type: str, digest: str, provenance: Provenance) -> CommandReceipt:
        return cls._create(
            cls.Accepted,
            id=receipt_id(provenance.command_id),
            command_type=command_type,
            digest=digest,
            **provenance.event_fields(),
        )

    def confirm_same(self, command_id: str, digest: str) -> None:
        """Succeeds for a replay of the same command; refuses different content."""
        confirm_same(self.digest, command_id, digest)
