"""A receipt per accepted command: what makes every command idempotent.

The receipt's id derives from the command id, so a second attempt collides in the store
itself (across processes and restarts); its digest tells a retry from a conflict.
"""

from __future__ import annotations

from domain.errors import CommandConflict
from domain.identity import receipt_id
from domain.provenance import Provenance, RecordedAggregate


class CommandReceipt(RecordedAggregate):
    class Accepted(RecordedAggregate.Created):
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
        if digest != self.digest:
            raise CommandConflict(
                f"command {command_id!r} was already stored with different content",
                field="id",
            )
