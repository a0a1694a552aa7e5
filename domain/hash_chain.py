"""The tamper-evident chain over stored events, in notification order.

Each link's digest covers the previous digest and the event exactly as stored (aggregate id,
version, topic and the stored bytes). Positions are not hashed, so a store restored elsewhere
(where numbering may differ) ends with the same head digest.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

GENESIS = "0" * 64


def link(previous: str, originator_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    aggregate = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
    parts = (
        previous.encode(),
        str(aggregate).encode(),
        str(version).encode(),
        topic.encode(),
        bytes(state),
    )
    # Each part length-prefixed ("12:..."), so no two different events hash alike.
    return hashlib.sha256(b"".join(b"%d:%s" % (len(p), p) for p in parts)).hexdigest()
