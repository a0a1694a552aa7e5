"""What a request was refused for, noted for its log line.

The request log (:class:`infra.http.request_log.RequestLog`) writes ``error_type`` and
``error`` for a failure it sees raised; an answer a handler gives itself (a refusal answered
4xx, a form shown again with its errors, a body over the limit) raises nothing, so the
handler notes it here, and the operator reading the log learns why, not only that.
"""

from __future__ import annotations

from typing import Any

# Where the note is kept: the ASGI scope's ``state``, which ``request.state`` wraps.
STATE_KEY = "failure"
# A refusal's message can quote what was sent; the log keeps its start.
MAX_LOGGED_CHARACTERS = 300


def note_failure(scope: Any, kind: str, message: str) -> None:
    """Notes ``kind`` (e.g. ``"BadInput"``) and ``message`` for the request's log line,
    unless a reason is noted already (the first, most precise, is kept: a refusal noted by
    its handler before the page that shows it notes the page's errors).

    ``scope``: the request's ASGI scope (``request.scope``)."""
    if len(message) > MAX_LOGGED_CHARACTERS:
        message = message[:MAX_LOGGED_CHARACTERS] + "..."
    scope.setdefault("state", {}).setdefault(STATE_KEY, (kind, message))
