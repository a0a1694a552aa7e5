"""A realistic sample year, 2016/17, in the style of the sector-led improvement report.

Deterministic: the same commands with the same ids every time, so running the demo twice
stores nothing the second time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

YEAR = "2016/17"

# (code, theme, title, unit, aggregation, target, lead)
TARGETS: list[tuple[str, str, str, str | None, str, float | int | None, str]] = [
    (
        "PS1",
        "Improvement through peer support",
        "Corporate peer challenges delivered",
        "peer challenges",
        "sum",
        110,
        "Dennis Skinner",
    ),
    (
        "PS2",
        "Improvement through peer support",
        "Councils receiving tailored member or officer peer support",
        "councils",
        "sum",
        150,
        "Rachel Litherland",
    ),
    (
        "PS3",
        "Improvement through peer support",
        "Finance peer challenges delivered",
        "peer challenges",
        "sum",
        10,
        "Brian Reynolds",
    ),
    (
        "PS4",
        "Improvement through peer support",
        "Councils receiving governance and scrutiny support",
        "councils",
        "sum",
        50,
        "Jessica Crowe",
    ),
    (
        "EP1",
        "Efficiency and productivity",
        "Savings from collaborative procurement and commercial experts",
        "GBP m",
        "sum",
        12,
        "Tina Holland",
    ),
    (
        "EP2",
        "Efficiency and productivity",
        "Savings identified by productivity experts",
        "GBP m",
        "sum",
        25,
        "Alan Finch",
    ),
    (
        "EP3",
        "Efficiency and productivity",
        "Councils supported on digital transformation",
        "councils",
        "sum",
        25,
        "Tina Holland",
    ),
    (
        "EP4",
        "Efficiency and productivity",
        "Councils in One Public Estate partnerships",
        "councils",
        "max",
        200,
        "Ellie Greenwood",
    ),
    (
        "EP5",
        "Efficiency and productivity",
        "Examples of innovative practice in the shared database",
        "examples",
        "latest",
        1000,
        "Paul Raynes",
    ),
    (
        "SL1",
        "Strong political and senior officer leadership",
        "Councillors developed through leadership programmes",
        "councillors",
        "sum",
        700,
        "Kirsty Human",
    ),
    (
        "SL2",
        "Strong political and senior officer leadership",
        "Councils taking part in leadership programmes",
        "councils",
        "max",
        220,
        "Kirsty Human",
    ),
    (
        "SL3",
        "Strong political and senior officer leadership",
        "Graduates on the National Graduate Development Programme",
        "graduates",
        "latest",
        120,
        "Sarah Messenger",
    ),
    (
        "SL4",
        "Strong political and senior officer leadership",
        "Councils supported on workforce issues",
        "councils",
        "sum",
        100,
        "Sarah Messenger",
    ),
    (
        "SL5",
        "Strong political and senior officer leadership",
        "Support councils to meet their apprenticeship targets",
        None,
        "latest",
        None,
        "Sarah Messenger",
    ),
    (
        "SC1",
        "Strong communities with excellent public services",
        "Councils supported to develop devolution plans",
        "councils",
        "sum",
        40,
        "Philip Mind",
    ),
    (
        "SC2",
        "Strong communities with excellent public services",
        "Combined authorities in the good-practice network",
        "combined authorities",
        "latest",
        9,
        "Philip Mind",
    ),
    (
        "SC3",
        "Strong communities with excellent public services",
        "Councils in Local Partnerships projects",
        "councils",
        "max",
        120,
        "Helen Murray",
    ),
    (
        "SC4",
        "Strong communities with excellent public services",
        "Residents satisfied with the way their council runs things",
        "%",
        "latest",
        65,
        "Juliet Whitworth",
    ),
]

# Quarter figures as published; None: not reported that quarter (0 is a real zero).
FIGURES: dict[str, list[float | int | None]] = {
    "PS3": [2, 3, 0, 4],
    "PS4": [14, 12, 15, 13],
    "EP1": [2.1, 3.6, 4.2, 3.3],
    "EP2": [5.5, 7.25, 6.0, None],
    "EP3": [4, 7, 9, 6],
    "EP4": [180, 198, 214, 214],
    "EP5": [640, 780, 910, 1000],
    "SL1": [160, 145, 210, 190],
    "SL2": [120, 180, 233, 233],
    "SL3": [118, 117, 121, None],
    "SL4": [24, 31, 35, 30],
    "SC1": [9, 14, 0, 24],
    "SC2": [5, 7, 9, 9],
    "SC3": [96, 110, 122, 122],
    "SC4": [66, 65, 65, None],
}

# RAG per quarter (None: not yet assessed that quarter).
RAGS: dict[str, list[str | None]] = {
    "PS1": ["green", "green", "amber", "green"],
    "PS2": ["green", "green", "green", "green"],
    "PS3": ["green", "amber", "red", "amber"],
    "PS4": ["green", "green", "green", "green"],
    "EP1": ["amber", "green", "green", "green"],
    "EP2": ["green", "green", "amber", None],
    "EP3": ["amber", "amber", "green", "green"],
    "EP4": ["green", "green", "green", "green"],
    "EP5": ["green", "green", "green", "green"],
    "SL1": ["green", "green", "green", "green"],
    "SL2": ["green", "green", "green", "green"],
    "SL3": ["green", "amber", "green", None],
    "SL4": ["green", "green", "green", "green"],
    "SL5": ["none", "amber", "amber", "red"],
    "SC1": ["amber", "amber", "red", "amber"],
    "SC2": ["green", "green", "green", "green"],
    "SC3": ["green", "green", "green", "green"],
    "SC4": ["green", "green", "black", None],
}

COUNCILS = [
    ("Cornwall Council", "SW"),
    ("Leeds City Council", "YH"),
    ("Kent County Council", "SE"),
    ("Birmingham City Council", "WM"),
    ("Manchester City Council", "NW"),
    ("Norfolk County Council", "E"),
    ("Derbyshire County Council", "EM"),
    ("London Borough of Camden", "GL"),
    ("Newcastle City Council", "NE"),
    ("Bristol City Council", "SW"),
    ("Nottingham City Council", "EM"),
    ("Suffolk County Council", "E"),
    ("Sheffield City Council", "YH"),
    ("Hampshire County Council", "SE"),
    ("Durham County Council", "NE"),
    ("Royal Borough of Greenwich", "GL"),
    ("Stockport Council", "NW"),
    ("Wiltshire Council", "SW"),
    ("Coventry City Council", "WM"),
    ("Essex County Council", "E"),
    ("Lincolnshire County Council", "EM"),
    ("Calderdale Council", "YH"),
    ("Surrey County Council", "SE"),
    ("Shropshire Council", "WM"),
    ("Cumbria County Council", "NW"),
]

# Peer challenges (PS1) and peer support (PS2) are recorded as they happen.
ENGAGEMENTS_PER_QUARTER = {"PS1": [27, 31, 22, 39], "PS2": [42, 51, 38, 62]}

COMMENTARY: dict[str, dict[str, str]] = {
    "PS1": {
        "delivered": "Peer challenges delivered across all regions; take-up highest in the "
        "South West and lowest in London, as expected late in the electoral cycle.",
        "impact": "87% of leaders and chief executives say LGA support has a positive impact.",
        "forecast": "On track to exceed the annual target of 110.",
    },
    "PS3": {
        "delivered": "Finance peer challenges alongside the extended finance support offer.",
        "forecast": "Q3 bookings slipped into Q4; expect to reach 9 of 10.",
    },
    "EP1": {
        "delivered": "Collaborative procurement frameworks and commercial experts deployed.",
        "impact": "Savings validated by external consultants and the councils themselves.",
    },
    "SL5": {
        "delivered": "Apprenticeship levy guidance issued; regional workshops held.",
        "forecast": "Councils report difficulty meeting the public sector target; "
        "lobbying for flexibility continues.",
    },
    "SC1": {
        "delivered": "Bespoke support to emerging combined authorities and devolution areas.",
        "forecast": "Uncertainty over devolution deals is slowing new requests.",
    },
}

MILESTONES: list[dict[str, Any]] = [
    {
        "project": "LG Inform Plus upgrade",
        "milestone": "Data warehouse migrated",
        "due": "2016-09-30",
        "revisions": [("2016-11-30", "Supplier delayed the hosting contract")],
        "completed_on": "2016-12-05",
    },
    {
        "project": "LG Inform Plus upgrade",
        "milestone": "Public release",
        "due": "2017-01-31",
        "revisions": [("2017-01-16", "Testing finished early; release brought forward")],
        "completed_on": "2017-01-16",
    },
    {
        "project": "Peer challenge framework refresh",
        "milestone": "Consultation with councils",
        "due": "2016-07-31",
        "revisions": [],
        "completed_on": "2016-07-28",
    },
    {
        "project": "Peer challenge framework refresh",
        "milestone": "New framework published",
        "due": "2016-10-31",
        "revisions": [
            ("2017-02-28", "Consultation responses needed a second round"),
            ("2017-03-31", "Board sign-off moved to the March meeting"),
        ],
        "completed_on": None,
    },
    {
        "project": "Innovation database",
        "milestone": "1,000 examples published",
        "due": "2017-03-31",
        "revisions": [],
        "completed_on": None,
    },
]

# (ref, title, owner, [(impact, likelihood), ...reassessments])
RISKS: list[tuple[str, str, str, list[tuple[int, int]]]] = [
    ("R1", "Reduction in DCLG improvement grant", "Director of Finance", [(4, 3), (4, 4)]),
    (
        "R2",
        "Councils decline peer challenges late in the electoral cycle",
        "Head of Peer Support",
        [(3, 2)],
    ),
    ("R3", "Loss of key principal advisers", "Director of Improvement", [(2, 2)]),
    ("R4", "Data breach in LG Inform", "Head of Research", [(5, 2)]),
    ("R5", "Devolution deals stall", "Director of Policy", [(4, 3), (4, 4), (3, 4)]),
]


class _Ids:
    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"demo-2016-17-{self.count:04d}"


def _quarter_days(quarter: int) -> tuple[date, int]:
    starts = [date(2016, 4, 1), date(2016, 7, 1), date(2016, 10, 1), date(2017, 1, 1)]
    ends = [date(2016, 6, 30), date(2016, 9, 30), date(2016, 12, 31), date(2017, 3, 31)]
    return starts[quarter], (ends[quarter] - starts[quarter]).days


def demo_commands() -> Iterator[dict[str, Any]]:
    """The sample year as contract commands, in the order a year would produce them."""
    ids = _Ids()
    chance = random.Random(2016)  # noqa: S311 - sample data, not security
    officer = "performance.officer@lga.example"
    for code, theme, title, unit, aggregation, target, lead in TARGETS:
        yield {
            "type": "define_target",
            "id": ids.next(),
            "year": YEAR,
            "code": code,
            "title": title,
            "theme": theme,
            "unit": unit,
            "aggregation": aggregation,
            "target": target,
            "lead": lead,
            "board": "Improvement and Innovation Board",
            "actor": officer,
            "reason": "Business plan 2016/17 approved",
        }
    for quarter in range(4):
        q = f"Q{quarter + 1}"
        start, days = _quarter_days(quarter)
        for code, per_quarter in ENGAGEMENTS_PER_QUARTER.items():
            for _ in range(per_quarter[quarter]):
                council, region = chance.choice(COUNCILS)
                yield {
                    "type": "record_engagement",
                    "id": ids.next(),
                    "year": YEAR,
                    "code": code,
                    "date": (start + timedelta(chance.randint(0, days))).isoformat(),
                    "council": council,
                    "region": region,
                    "kind": "peer challenge" if code == "PS1" else "member peer support",
                    "actor": f"{region.lower()}.adviser@lga.example",
                }
        for code, figures in FIGURES.items():
            value = figures[quarter]
            if value is not None:
                yield {
                    "type": "report_figure",
                    "id": ids.next(),
                    "year": YEAR,
                    "code": code,
                    "quarter": q,
                    "value": value,
                    "actor": officer,
                }
        for code, rags in RAGS.items():
            rag = rags[quarter]
            if rag is not None:
                yield {
                    "type": "set_rag",
                    "id": ids.next(),
                    "year": YEAR,
                    "code": code,
                    "quarter": q,
                    "rag": rag,
                    "actor": officer,
                }
        for code, kinds in COMMENTARY.items():
            for kind, text in kinds.items():
                yield {
                    "type": "comment",
                    "id": ids.next(),
                    "year": YEAR,
                    "code": code,
                    "quarter": q,
                    "kind": kind,
                    "text": f"{q}: {text}",
                    "actor": officer,
                }
        if quarter == 1:
            yield {
                "type": "comment",
                "id": ids.next(),
                "year": YEAR,
                "code": "SC1",
                "quarter": q,
                "kind": "delivered",
                "actor": "philip.mind@lga.example",
                "reason": "Named the combined authorities supported",
                "text": "Q2: Bespoke support to five combined authorities, including the "
                "West Midlands and Greater Manchester devolution teams.",
            }
        if quarter < 3:
            yield {
                "type": "close_quarter",
                "id": f"close-{YEAR}-{q}",
                "year": YEAR,
                "quarter": q,
                "actor": "scheduler",
                "reason": "Scheduled quarter close",
            }
        if quarter == 1:
            yield from _q1_restatements(ids, officer)
    yield from _milestones(ids)
    yield from _risks(ids)


def _q1_restatements(ids: _Ids, officer: str) -> Iterator[dict[str, Any]]:
    yield {
        "type": "report_figure",
        "id": ids.next(),
        "year": YEAR,
        "code": "EP1",
        "quarter": "Q1",
        "value": 2.4,
        "actor": officer,
        "restatement_reason": "Q1 savings revalidated by external consultants",
    }
    yield {
        "type": "record_engagement",
        "id": ids.next(),
        "year": YEAR,
        "code": "PS1",
        "date": "2016-06-29",
        "council": "Calderdale Council",
        "region": "YH",
        "kind": "peer challenge",
        "actor": "yh.adviser@lga.example",
        "restatement_reason": "Peer challenge report filed late",
    }


def _milestones(ids: _Ids) -> Iterator[dict[str, Any]]:
    manager = "programme.manager@lga.example"
    for m in MILESTONES:
        key = {"project": m["project"], "milestone": m["milestone"]}
        yield {
            "type": "define_milestone",
            "id": ids.next(),
            **key,
            "due": m["due"],
            "actor": manager,
        }
        for revised_due, reason in m["revisions"]:
            yield {
                "type": "revise_milestone",
                "id": ids.next(),
                **key,
                "revised_due": revised_due,
                "reason": reason,
                "actor": manager,
            }
        if m["completed_on"]:
            yield {
                "type": "complete_milestone",
                "id": ids.next(),
                **key,
                "completed_on": m["completed_on"],
                "actor": manager,
            }


def _risks(ids: _Ids) -> Iterator[dict[str, Any]]:
    for ref, title, owner, assessments in RISKS:
        for impact, likelihood in assessments:
            yield {
                "type": "assess_risk",
                "id": ids.next(),
                "ref": ref,
                "title": title,
                "owner": owner,
                "impact": impact,
                "likelihood": likelihood,
                "actor": "risk.manager@lga.example",
                "reason": "Quarterly risk review",
            }
