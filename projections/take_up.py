"""The council register as it stood at a moment, and the take-up analysis of a year: which
councils the support reached, by region, type, kind and political control, and which it
missed (as the sector-led improvement report's Annex A shows it)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from domain.calendar import FinancialYear
from domain.councils import REGIONS, STANDARD_TYPES
from domain.measures import percent_achieved
from projections.council_projection import kind_key
from projections.database import Cursor, ReadModelDatabase, recorded_time
from projections.models import (
    AttributeValue,
    ControlTakeUp,
    CouncilLine,
    KindTakeUp,
    RegionTakeUp,
    TakeUp,
    TypeTakeUp,
    ZeroTakeUp,
)

POLITICAL_CONTROL = "political_control"
NOT_RECORDED = "not recorded"


def read_councils(database: ReadModelDatabase, as_at: datetime | None = None) -> list[CouncilLine]:
    """Every council registered (as at recorded time ``as_at``), by code."""
    with database.transaction() as cursor:
        return _councils(cursor, None if as_at is None else recorded_time(as_at))


def read_take_up(
    database: ReadModelDatabase,
    year: str,
    *,
    code: str | None = None,
    kind: str | None = None,
    as_at: datetime | None = None,
) -> TakeUp:
    """Take-up of the year's engagements (of one target ``code``, of one ``kind``), now or as
    at recorded time ``as_at``. Counts registered councils that served during the year."""
    financial_year = FinancialYear.parse(year)
    moment = None if as_at is None else recorded_time(as_at)
    with database.transaction() as cursor:
        register = _councils(cursor, moment)
        rows = _engagements(cursor, "year = :year", year, code, kind, moment)
        earlier = {row[0] for row in _engagements(cursor, "year < :year", year, code, kind, moment)}
    first_day, last_day = financial_year.first_day.isoformat(), financial_year.last_day.isoformat()
    serving = {
        c.code: c
        for c in register
        if (c.valid_from is None or c.valid_from <= last_day)
        and (c.retired_on is None or c.retired_on > first_day)
    }
    loaded = bool(register)
    counts: dict[str, int] = defaultdict(int)
    kinds: dict[str | None, tuple[str | None, set[str], int]] = {}
    for council, key, shown, engagements in rows:
        counts[council] += engagements
        display, reached, total = kinds.get(key, (shown, set(), 0))
        reached.add(council)
        kinds[key] = (display, reached, total + engagements)
    engaged = {c for c in counts if c in serving} if loaded else set(counts)
    day = min(last_day, moment[:10]) if moment else last_day
    return TakeUp(
        year=year,
        as_at=moment,
        code=code,
        kind=kind,
        register_loaded=loaded,
        councils=len(serving),
        engaged=len(engaged),
        percent=percent_achieved(len(engaged), len(serving)) if serving else None,
        engagements=sum(counts.values()),
        first_time=len(engaged - earlier),
        by_region=[
            RegionTakeUp(
                region=region,
                **_group([c for c in serving if serving[c].region == region], engaged, counts),
            )
            for region in (REGIONS if loaded else ())
        ],
        by_type=[
            TypeTakeUp(council_type=kind_of, **_group(members, engaged, counts))
            for kind_of in _types(serving.values())
            if (members := [c for c in serving if serving[c].council_type == kind_of])
        ],
        by_kind=[
            KindTakeUp(
                kind=display,
                engaged=len(reached & engaged if loaded else reached),
                engagements=total,
            )
            for display, reached, total in sorted(
                kinds.values(), key=lambda k: (k[0] is None, (k[0] or "").casefold())
            )
        ],
        by_political_control=_by_control(serving, engaged, counts, day),
        zero_take_up=[
            ZeroTakeUp(code=c.code, name=c.name, council_type=c.council_type, region=c.region)
            for c in sorted(
                serving.values(), key=lambda c: (REGIONS.index(c.region), c.name.casefold())
            )
            if c.code not in engaged
        ],
        first_time_councils=sorted(engaged - earlier),
    )


def _group(members: list[str], engaged: set[str], counts: dict[str, int]) -> dict[str, Any]:
    reached = [c for c in members if c in engaged]
    return {
        "councils": len(members),
        "engaged": len(reached),
        "percent": percent_achieved(len(reached), len(members)) if members else None,
        "engagements": sum(counts.get(c, 0) for c in members),
    }


def _types(councils: Iterable[CouncilLine]) -> list[str]:
    present = {c.council_type for c in councils}
    return [t for t in STANDARD_TYPES if t in present] + sorted(present - set(STANDARD_TYPES))


def _by_control(
    serving: dict[str, CouncilLine], engaged: set[str], counts: dict[str, int], day: str
) -> list[ControlTakeUp]:
    control = {code: c.attribute_on(POLITICAL_CONTROL, day) for code, c in serving.items()}
    if not any(control.values()):
        return []
    groups: dict[str, list[str]] = defaultdict(list)
    for code, value in control.items():
        groups[value or NOT_RECORDED].append(code)
    return [
        ControlTakeUp(control=value, **_group(members, engaged, counts))
        for value, members in sorted(groups.items(), key=lambda g: (g[0] == NOT_RECORDED, g[0]))
    ]


def _engagements(
    cursor: Cursor, years: str, year: str, code: str | None, kind: str | None, moment: str | None
) -> list[tuple[str, str | None, str | None, int]]:
    """(council, kind_key, a kind as written, sum of counts) per council and kind, for the
    years selected by ``years`` and the filters. Now, from the sums kept per target, council
    and kind; as at a recorded time, from the engagements recorded by then."""
    where = [years]
    params: dict[str, Any] = {"year": year}
    if code is not None:
        where.append("code = :code")
        params["code"] = code
    if kind is not None:
        where.append("kind_key = :kind")
        params["kind"] = kind_key(kind) or ""
    if moment is None:
        sql = (
            "SELECT council, NULLIF(kind_key, ''), NULLIF(MIN(kind), ''), SUM(engagements) "
            "FROM qr_take_up"
        )
    else:
        where.append("recorded_at <= :moment")
        params["moment"] = moment
        sql = "SELECT council, kind_key, MIN(kind), SUM(count) FROM qr_engagements"
    cursor.execute(
        f"{sql} WHERE {' AND '.join(where)} GROUP BY council, kind_key",
        params,
    )
    return [(str(r[0]), r[1], r[2], int(r[3])) for r in cursor.fetchall()]


def _councils(cursor: Cursor, moment: str | None) -> list[CouncilLine]:
    cursor.execute(
        "SELECT code, event, detail FROM qr_council_events "
        "WHERE :moment = '' OR recorded_at <= :moment ORDER BY position",
        {"moment": moment or ""},
    )
    found: dict[str, dict[str, Any]] = {}
    for code, event, detail in cursor.fetchall():
        values = json.loads(detail)
        if event == "registered":
            found[code] = {
                "code": code,
                "name": values["name"],
                "type": values["type"],
                "region": values["region"],
                "aliases": values["aliases"],
                "from": values["from"],
                "retired_on": None,
                "succeeded_by": None,
                "attributes": {},
            }
        elif event == "retired":
            found[code] |= {"retired_on": values["on"], "succeeded_by": values["succeeded_by"]}
        else:
            history = found[code]["attributes"].setdefault(values["attribute"], [])
            history.append(AttributeValue(since=values["from"], value=values["value"]))
            history.sort(key=lambda a: a.since)
    return [CouncilLine.model_validate(found[code]) for code in sorted(found)]
