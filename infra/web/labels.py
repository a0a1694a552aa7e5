"""People's words for what the pages show: the diff's field names (``quarters.Q1``,
``commentary.delivered`` ...) as the "what changed" page labels them. The API and the CLI
keep the field names (the contract fixes them); this is the page's presentation only."""

from __future__ import annotations

import re

COMMENTARY_KINDS = {"delivered": "what we delivered", "impact": "impact", "forecast": "forecast"}
FIELD_LABELS = {
    "title": "Title",
    "theme": "Theme",
    "unit": "Unit",
    "aggregation": "How the year adds up",
    "target": "Annual target",
    "total": "Total",
    "percent_achieved": "Percent achieved",
    "rag": "RAG",
    "lead": "Lead",
    "board": "Board",
}
PER_QUARTER = {"quarters": "figure", "rag_by_quarter": "RAG"}
_QUARTER = re.compile(r"Q[1-4]")


def change_label(field: str) -> str:
    """``quarters.Q1`` -> ``Q1 figure``, ``rag_by_quarter.Q2`` -> ``Q2 RAG``,
    ``commentary.Q1.delivered`` -> ``Q1 commentary: what we delivered``,
    ``commentary.impact`` -> ``Commentary: impact``, ``percent_achieved`` -> ``Percent
    achieved``; a field not known here is shown in words (``a_field`` -> ``A field``)."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    group, _, rest = field.partition(".")
    if group in PER_QUARTER and _QUARTER.fullmatch(rest):
        return f"{rest} {PER_QUARTER[group]}"
    if group == "commentary" and rest:
        return _commentary_label(rest)
    words = field.replace("_", " ").replace(".", " ")
    return words[:1].upper() + words[1:]


def _commentary_label(rest: str) -> str:
    quarter, _, kind = rest.rpartition(".")
    what = COMMENTARY_KINDS.get(kind, kind.replace("_", " "))
    if _QUARTER.fullmatch(quarter):
        return f"{quarter} commentary: {what}"
    if quarter:
        return f"Commentary ({quarter}): {what}"
    return f"Commentary: {what}"
