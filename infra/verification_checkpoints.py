"""Where the verification page keeps its checkpoint (see ``application/chain_checkpoint.py``):
one row of ``qr_chain_checkpoint`` (``projections/schema.py``) in the read-model database,
beside the read models but not one of them, so a rebuild of the read models keeps it."""

from __future__ import annotations

import structlog

from application.chain_checkpoint import Checkpoint
from projections.database import ReadModelDatabase

log = structlog.get_logger("quarterly.verification")


class StoredCheckpoints:
    """The last checkpoint of a store, in its read-model database ``database``."""

    def __init__(self, database: ReadModelDatabase) -> None:
        self.database = database

    def load(self) -> Checkpoint | None:
        """The kept checkpoint, or None (none kept, or one this version cannot read)."""
        with self.database.transaction() as cursor:
            cursor.execute("SELECT checkpoint FROM qr_chain_checkpoint WHERE id = 1")
            found = cursor.fetchone()
        if found is None:
            return None
        try:
            return Checkpoint.model_validate_json(str(found[0]))
        except ValueError:
            return None  # written by another version: the next check is a whole one

    def save(self, checkpoint: Checkpoint) -> None:
        """Keeps ``checkpoint`` unless one further along is kept (two checks at once). A
        store that cannot be written (a read-only replica) keeps none: the check's result
        stands, and the next check starts further back."""
        try:
            self._save(checkpoint)
        except Exception as error:  # the checkpoint only saves time; never fail a check
            log.warning("verification_checkpoint_not_kept", error=str(error))

    def _save(self, checkpoint: Checkpoint) -> None:
        with self.database.transaction(write=True) as cursor:
            cursor.execute(
                """INSERT INTO qr_chain_checkpoint (id, position, checkpoint)
                   VALUES (1, :position, :checkpoint)
                   ON CONFLICT (id) DO UPDATE SET position = excluded.position,
                     checkpoint = excluded.checkpoint
                   WHERE excluded.position >= qr_chain_checkpoint.position""",
                {"position": checkpoint.position, "checkpoint": checkpoint.model_dump_json()},
            )
