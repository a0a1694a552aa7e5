"""The seeds' own tables, entered as commands, come back out with the seeds' values, on
SQLite and PostgreSQL: the H1 2016/17 outcome table, the Layden House milestone table with
its overall row, the strategic risk register, and the measures the return refused before
(negative, lower is better, thresholds). Bad input is refused naming the field."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from domain.errors import BadInput
from infra.store import Store
from projections.readers import Readers
from projections.runner import ProjectionRunner
from tests.integration.helpers import YEAR, event_count, report, run, target_of
from tests.integration.seed_tables import (
    FUNDING_OUTCOMES,
    LAYDEN_HOUSE,
    LAYDEN_HOUSE_HEADLINE,
    LAYDEN_HOUSE_OVERALL,
    RISK_REGISTER,
)

CONTRACT_KEYS = [
    "code", "title", "theme", "unit", "aggregation", "target", "quarters", "total",
    "percent_achieved", "councils", "rag", "rag_by_quarter", "commentary", "restatements",
]  # fmt: skip
ADDED_KEYS = [
    "lead", "board", "direction", "threshold", "met", "trajectory", "rag_disagrees",
    "direction_of_travel", "commentary_from",
]  # fmt: skip


def readers(store: Store) -> Readers:
    ProjectionRunner(store.ledger, store.read_models).catch_up()
    return Readers(store.read_models)


def test_the_h1_outcome_table_comes_back_with_board_lead_rag_and_commentary(
    store: Store,
) -> None:
    for code, outcome, delivered, rag, impact in FUNDING_OUTCOMES:
        run(
            store,
            type="define_target",
            id=f"define-{code}",
            year=YEAR,
            code=code,
            title=outcome,
            theme="Funding for local government",
            aggregation="latest",
            lead="Nicola Morton",
            board="Resources",
        )
        run(store, type="set_rag", id=f"rag-{code}", year=YEAR, code=code, quarter="Q2", rag=rag)
        for kind, text in (("delivered", delivered), ("impact", impact)):
            run(
                store,
                type="comment",
                id=f"{kind}-{code}",
                year=YEAR,
                code=code,
                quarter="Q2",
                kind=kind,
                text=text,
            )
    document = report(store)
    assert [t["code"] for t in document["targets"]] == ["F1", "F2", "F3", "F4", "F5", "F6"]
    for (code, outcome, delivered, rag, impact), line in zip(
        FUNDING_OUTCOMES, document["targets"], strict=True
    ):
        assert list(line) == CONTRACT_KEYS + ADDED_KEYS  # the contract's keys keep their order
        assert (line["code"], line["title"], line["lead"], line["board"]) == (
            code,
            outcome,
            "Nicola Morton",
            "Resources",
        )
        assert (line["rag"], line["rag_by_quarter"]["Q2"]) == (rag.lower(), rag.lower())
        assert line["commentary"] == {"delivered": delivered, "impact": impact, "forecast": None}
        assert line["commentary_from"] == {
            "delivered": {"quarter": "Q2", "carried": False},
            "impact": {"quarter": "Q2", "carried": False},
            "forecast": None,
        }
        # A narrative outcome: no numeric target, so nothing computed beside the stated RAG.
        assert (line["met"], line["trajectory"], line["rag_disagrees"]) == (None, None, False)
        assert line["direction_of_travel"] is None  # no Q1 RAG to compare with
    assert document["summary"] == {
        "targets": 6, "green": 5, "amber": 1, "red": 0, "black": 0, "none": 0
    }  # fmt: skip

    # Q3: F6 is judged red with no new commentary; what is shown is carried from Q2.
    run(store, type="set_rag", id="rag-F6-Q3", year=YEAR, code="F6", quarter="Q3", rag="red")
    f6 = target_of(report(store), "F6")
    assert f6["direction_of_travel"] == "worse"
    assert f6["commentary_from"]["delivered"] == {"quarter": "Q2", "carried": True}


def test_the_layden_house_milestones_come_back_with_month_dates_status_and_rag(
    store: Store,
) -> None:
    for n, (milestone, due, revised, status, rag) in enumerate(LAYDEN_HOUSE):
        key = {"project": "Layden House", "milestone": milestone}
        run(store, type="define_milestone", id=f"m{n}", due=due, **key)
        if revised is not None:
            run(store, type="revise_milestone", id=f"r{n}", revised_due=revised, **key)
        if status == "Completed":
            run(store, type="complete_milestone", id=f"c{n}", completed_on=revised or due, **key)
        status_fields = {"rag": rag} if status is None else {"status": status, "rag": rag}
        run(store, type="set_milestone_status", id=f"s{n}", **key, **status_fields)
    run(
        store,
        type="report_project",
        id="overall",
        project="Layden House",
        overall=LAYDEN_HOUSE_OVERALL,
        milestones="amber",
        headline=LAYDEN_HOUSE_HEADLINE,
    )
    read = readers(store)
    found = {m.milestone: m for m in read.milestones()}
    assert len(found) == len(LAYDEN_HOUSE)
    for milestone, due, revised, status, rag in LAYDEN_HOUSE:
        line = found[milestone]
        assert (line.due, line.current_due, line.status, line.rag) == (
            due,
            revised or due,
            status,
            rag,
        )
        assert line.completed_on == ((revised or due) if status == "Completed" else None)
    slipped = {m: (found[m].slippage_days, found[m].slippage_months) for m in found}
    assert slipped["Completion of stage 3 and 4 designs"] == (153, 5)  # Apr-16 -> Sep-16
    assert slipped["Planning approval"] == (85, 3)  # 18/04/2016 -> 12/07/2016
    assert slipped["Completion of stage 2 concept design"] == (0, 0)  # Nov-15 -> Nov-15
    assert slipped["Project completion"] == (579, 19)  # Feb-17 -> Sep-18
    assert [r.revised_due for r in found["Completion of stage 2 concept design"].revisions] == [
        "2015-11"
    ]
    # By first planned date, a month counting as its last day: Jul-15 ... Aug-17.
    order = [m.milestone for m in read.milestones()]
    assert order[:3] == [
        "LGA approval of concept design",
        "Procurement of consultant team",
        "Completion of stage 1 feasibility study",
    ]
    assert order.index("Completion of stage 2 concept design") < order.index(
        "Issue planning applications options 1 & 2"
    )  # Nov-15 before 11 Dec 2015
    [project] = read.projects()
    assert project.document() | {"reported_at": None} == {
        "project": "Layden House",
        "overall": "amber",
        "milestones": "amber",
        "budget": None,
        "risks": None,
        "headline": LAYDEN_HOUSE_HEADLINE,
        "reported_at": None,
    }
    # A later report changes only the fields it gives; the same row again stores nothing.
    run(store, type="report_project", id="budget", project="Layden House", budget="red")
    before = event_count(store)
    run(store, type="report_project", id="budget-again", project="Layden House", budget="red")
    assert event_count(store) == before + 1  # the command's receipt only
    [project] = readers(store).projects()
    assert (project.overall, project.budget, project.headline) == (
        "amber",
        "red",
        LAYDEN_HOUSE_HEADLINE,
    )


def test_the_strategic_risk_register_keeps_scores_and_direction_of_travel(store: Store) -> None:
    for ref, category, description, impact, likelihood, _, mitigation, owner in RISK_REGISTER:
        run(
            store,
            type="assess_risk",
            id=f"sep-{ref}",
            ref=ref,
            title=description,
            category=category,
            mitigation=mitigation,
            owner=owner,
            impact=impact,
            likelihood=likelihood,
            reason="September 2016 review",
        )
    september = readers(store).risks()
    time.sleep(0.002)
    moment = datetime.now(UTC)
    time.sleep(0.002)
    # December: SR1 grows, SR4 shrinks, SR5 keeps its score with a new mitigation.
    run(store, type="assess_risk", id="dec-SR1", ref="SR1", impact=4, likelihood=4)
    run(store, type="assess_risk", id="dec-SR4", ref="sr4", impact=5, likelihood=2)
    run(
        store,
        type="assess_risk",
        id="dec-SR5",
        ref="SR5",
        impact=3,
        likelihood=3,
        mitigation="Quarterly review of the balance of communications",
    )
    read = readers(store)
    for line, (ref, category, description, impact, likelihood, score, mitigation, owner) in zip(
        september, RISK_REGISTER, strict=True
    ):
        assert (line.ref, line.category, line.title, line.owner, line.mitigation) == (
            ref,
            category,
            description,
            owner,
            mitigation,
        )
        assert (line.impact, line.likelihood, line.score) == (impact, likelihood, score)
        assert line.direction_of_travel is None  # a first assessment
    assert [r.document() for r in read.risks(moment)] == [r.document() for r in september]
    now = {r.ref: r for r in read.risks()}
    assert [r.ref for r in read.risks()] == [row[0] for row in RISK_REGISTER]  # SR1 ... SR13
    assert (now["SR1"].score, now["SR1"].band, now["SR1"].direction_of_travel) == (16, "red", "up")
    assert (now["SR4"].score, now["SR4"].previous_score, now["SR4"].direction_of_travel) == (
        10,
        15,
        "down",
    )
    assert (now["SR5"].direction_of_travel, now["SR5"].category) == ("same", "Reputation")
    assert now["SR5"].mitigation == "Quarterly review of the balance of communications"
    assert now["SR2"].direction_of_travel is None
    history = [a.document() for a in read.risk_history("sr1 ")]
    assert [(a["score"], a["band"], a["direction_of_travel"]) for a in history] == [
        (12, "amber", None),
        (16, "red", "up"),
    ]
    assert [a["command_id"] for a in history] == ["sep-SR1", "dec-SR1"]
    assert history[0]["reason"] == "September 2016 review"
    assert history[0]["recorded_at"] < moment.isoformat() < history[1]["recorded_at"]
    assert read.risk_history("SR99") == []


def test_negative_lower_is_better_and_threshold_measures(store: Store) -> None:
    measures = {
        # Table 1 of the May 2018 report: "How well do you know the LGA?", change from 2016.
        "KNOW": {"aggregation": "latest", "target": 0, "allow_negative": True, "unit": "points"},
        # "In councils, the mean pay gap is -6.8 per cent": lower is better.
        "PAY": {
            "aggregation": "latest",
            "target": 0,
            "allow_negative": True,
            "direction": "lower_is_better",
            "unit": "%",
        },
        "DAYS": {"aggregation": "latest", "target": 3, "direction": "lower_is_better"},
        # "Our reputation": satisfaction >75%, informed >79%.
        "SAT": {"aggregation": "latest", "target": 75, "threshold": "above", "unit": "%"},
        "INF": {"aggregation": "latest", "target": 79, "threshold": "above", "unit": "%"},
    }
    figures = {"KNOW": -2, "PAY": -6.8, "DAYS": 2.5, "SAT": 76, "INF": 79}
    for code, fields in measures.items():
        run(store, type="define_target", id=f"d-{code}", year=YEAR, code=code, title=code, **fields)
        run(
            store,
            type="report_figure",
            id=f"f-{code}",
            year=YEAR,
            code=code,
            quarter="Q4",
            value=figures[code],
        )
        run(store, type="set_rag", id=f"r-{code}", year=YEAR, code=code, quarter="Q4", rag="green")
    lines = {t["code"]: t for t in report(store)["targets"]}
    seen = {
        code: (
            line["total"],
            line["percent_achieved"],
            line["met"],
            line["direction"],
            line["threshold"],
            line["trajectory"],
            line["rag_disagrees"],
        )
        for code, line in lines.items()
    }
    assert seen == {
        "KNOW": (-2, None, False, "higher_is_better", None, "red", True),
        "PAY": (-6.8, None, True, "lower_is_better", None, "green", False),
        "DAYS": (2.5, 120, True, "lower_is_better", None, "green", False),
        "SAT": (76, 101, True, "higher_is_better", "above", "green", False),
        "INF": (79, 100, False, "higher_is_better", "above", "amber", True),
    }
    assert lines["PAY"]["rag"] == "green"  # the stated RAG is never overwritten


@pytest.mark.parametrize(
    ("command", "field"),
    [
        ({"type": "define_milestone", "project": "P", "milestone": "New", "due": "2016-13"}, "due"),
        (
            {
                "type": "revise_milestone",
                "project": "P",
                "milestone": "M",
                "revised_due": "2016-13",
            },
            "revised_due",
        ),
        (
            {"type": "define_target", "year": YEAR, "code": "LB1", "title": "Days to respond"}
            | {"aggregation": "latest", "target": 10, "direction": "downwards"},
            "direction",
        ),
        (
            {"type": "report_figure", "year": YEAR, "code": "PW1", "quarter": "Q1", "value": -2},
            "value",
        ),
        (
            {"type": "define_target", "year": YEAR, "code": "NG1", "title": "Change"}
            | {"aggregation": "latest", "target": -2},
            "target",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    store: Store, command: dict[str, object], field: str
) -> None:
    run(store, type="define_milestone", id="m", project="P", milestone="M", due="2016-09")
    run(
        store,
        type="define_target",
        id="t",
        year=YEAR,
        code="PW1",
        title="Peer challenges",
        aggregation="sum",
        target=110,
    )
    before = event_count(store)
    with pytest.raises(BadInput) as refusal:
        run(store, id="refused", **command)
    assert refusal.value.field == field
    assert event_count(store) == before
    assert target_of(report(store), "PW1")["quarters"]["Q1"] is None
