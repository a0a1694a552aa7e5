"""The tamper-evident chain over stored events, in notification order.

Each link's digest covers the previous digest and the event exactly as stored (aggregate id,
version, topic and the stored bytes). Positions are not hashed, so a store restored elsewhere
(where numbering may differ) ends with the same head digest.
"""

from __future__ import annotations

import hashlib
import re
from uuid import UUID

from domain.errors import BadInput

GENESIS = "0" * 64
_DIGEST = re.compile(r"[0-9a-f]{64}")


def parse_digest(text: str, *, field: str = "seal") -> str:
    """A digest (a seal, a chain head) as written: 64 hexadecimal digits, spaces around
    and upper case allowed; returned trimmed and in lower case, as digests are stored.

    Raises :class:`BadInput` naming ``field`` for anything else, so that a mistyped seal
    is told apart from a seal this store never made."""
    digest = text.strip().lower()
    if not _DIGEST.fullmatch(digest):
        shown = text if len(text) <= 80 else text[:80] + "..."
        raise BadInput(
            f"{shown!r} is not a digest: a seal is 64 hexadecimal digits (0-9, a-f), "
            "as `quarterly seals` prints them",
            field=field,
        )
    return digest


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
