"""What changed in a year's return between two recorded times, per target, with who and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.database import ReadModelDatabase, recorded_time
from projections.models import Change, ReturnDiff, TargetChanges
from projections.quarterly_return import read_return
from projections.registers import read_history_between

_COMPARED = ("title", "theme", "unit", "aggregation", "target", "total", "percent_achieved", "rag")
_PER_QUARTER = ("quarters", "rag_by_quarter")


def _flatten(target: dict[str, Any] | None) -> dict[str, Any]:
    if target is None:
        return {}
    flat = {name: target[name] for name in _COMPARED}
    for group in _PER_QUARTER:
        flat.update({f"{group}.{q}": v for q, v in target[group].items()})
    flat.update({f"commentary.{k}": v for k, v in target["commentary"].items()})
    return flat


def diff_returns(
    database: ReadModelDatabase,
    year: str,
    since: datetime,
    until: datetime | None = None,
    *,
    events_per_target: int | None = None,
) -> ReturnDiff:
    """The targets whose return changed between two recorded times (``until``: now), with
    each change and the events recorded in between (with ``events_per_target``, only the
    latest that many per target, and ``more_events`` set where some were left out)."""
    before = read_return(database, year, since).document()
    after = read_return(database, year, until).document()
    earlier = {t["code"]: t for t in before["targets"]}
    later = {t["code"]: t for t in after["targets"]}
    start = recorded_time(since)
    end = recorded_time(until) if until else None
    changed: dict[str, list[Change]] = {}
    for code in [*later, *(c for c in earlier if c not in later)]:
        old, new = _flatten(earlier.get(code)), _flatten(later.get(code))
        changes = [
            Change(field=name, before=old.get(name), after=new.get(name))
            for name in dict.fromkeys([*old, *new])
            if old.get(name) != new.get(name)
        ]
        if changes:
            changed[code] = changes
    limit = None if events_per_target is None else events_per_target + 1
    events = read_history_between(database, year, list(changed), start, end, limit=limit)
    targets = []
    for code, changes in changed.items():
        more = events_per_target is not None and len(events[code]) > events_per_target
        targets.append(
            TargetChanges(
                code=code,
                title=(later.get(code) or earlier[code])["title"],
                status="added" if code not in earlier else "changed",
                changes=changes,
                events=events[code][1:] if more else events[code],
                more_events=more,
            )
        )
    return ReturnDiff(year=year, since=start, until=end, targets=targets)
