"""Read models of the council register and of who engagements reached.

- ``qr_council_events``: every change to the register, with its recorded time, so the
  register can be read as it stood at any moment;
- ``qr_engagements``: one row per engagement (target, quarter, kind, council, count), what
  the take-up analysis counts;
- ``qr_take_up``: engagements summed per target, council and kind, what the take-up of
  now reads;
- ``qr_target_councils`` and the ``councils:<period>`` cells: the distinct councils each
  target engaged per quarter and over the year.
"""

from __future__ import annotations

from domain.canonical import canonical_name
from domain.councils import Council, council_key
from domain.engagements import Engagement
from projections import cells
from projections.projection_batch import ProjectionBatch, dump

COUNCIL_EVENT_COLUMNS = ("position", "recorded_at", "code", "event", "detail")
ENGAGEMENT_COLUMNS = (
    "position",
    "recorded_at",
    "year",
    "code",
    "quarter",
    "kind",
    "kind_key",
    "council",
    "registered",
    "count",
)


def engaged_council(event: Engagement.Recorded) -> str:
    """Who an engagement reached: its registered council's code, or (recorded before any
    register was loaded) its council's name in canonical form."""
    return event.council_code or f"name:{council_key(event.council)}"


def kind_key(kind: str | None) -> str | None:
    """Kinds of support are free text, compared in canonical form, ignoring case."""
    return canonical_name(kind).casefold() if kind else None


def council_changed(
    batch: ProjectionBatch,
    event: Council.Registered | Council.Retired | Council.AttributeRecorded,
    position: int,
    recorded_at: str,
) -> None:
    if isinstance(event, Council.Registered):
        kind, detail = (
            "registered",
            {
                "name": event.name,
                "type": event.council_type,
                "region": event.region,
                "aliases": event.aliases,
                "from": event.valid_from,
            },
        )
    elif isinstance(event, Council.Retired):
        kind, detail = "retired", {"on": event.on, "succeeded_by": event.succeeded_by}
    else:
        kind, detail = (
            "attribute",
            {
                "attribute": event.attribute,
                "value": event.value,
                "from": event.valid_from,
            },
        )
    batch.add_row(
        "qr_council_events",
        COUNCIL_EVENT_COLUMNS,
        (position, recorded_at, event.code, kind, dump(detail)),
    )


def engagement_reached(
    batch: ProjectionBatch, event: Engagement.Recorded, position: int, recorded_at: str
) -> None:
    """Records the engagement for take-up and counts a council new to its target's quarter
    or year in the ``councils:<period>`` cells."""
    council = engaged_council(event)
    batch.add_row(
        "qr_engagements",
        ENGAGEMENT_COLUMNS,
        (
            position,
            recorded_at,
            event.year,
            event.code,
            event.quarter,
            event.kind,
            kind_key(event.kind),
            council,
            1 if event.council_code else 0,
            event.count,
        ),
    )
    take_up = {
        "year": event.year,
        "code": event.code,
        "council": council,
        "kind_key": kind_key(event.kind) or "",
        "kind": event.kind or "",
    }
    batch.add_to_sum("qr_take_up", take_up, "engagements", event.count)
    for period in (event.quarter, cells.YEAR):
        member = {"year": event.year, "code": event.code, "period": period, "council": council}
        if batch.first_member("qr_target_councils", member):
            key = (event.year, event.code, cells.councils(period))
            batch.set_cell(key, (batch.get_cell(key) or 0) + 1, position, recorded_at)
