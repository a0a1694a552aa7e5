"""The JSON every document is printed as, by the CLI and the HTTP API alike."""

from __future__ import annotations

import json
from typing import Any


def to_json(document: Any) -> str:
    """Deterministic JSON: the same document always gives the same bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
