"""The tamper-evident chain over stored events, in notification order.

Each link's digest covers the previous digest and the event exactly as stored (aggregate id,
version, topic and the stored bytes). Positions are not hashed, so a store restored elsewhere
(where numbering may differ) ends with the same head digest.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

GENESIS = "0" * 64


def _field(data: bytes) -> bytes:
    return str(len(data)).encode() + b":" + data


def link(previous: str, originator_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    digest = hashlib.sha256()
    for part in (
        previous.encode(),
        str(UUID(str(originator_id))).encode(),
        str(version).encode(),
        topic.encode(),
        bytes(state),
    ):
        digest.update(_field(part))
    return digest.hexdigest()
