"""Each command of the contract against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from application.ledger import Outcome
from domain.errors import BadInput, CommandConflict, Conflict, QuarterClosed, UnknownReference
from infra.store import Store
from projections.registers import read_history, read_milestones, read_risks
from tests.integration.helpers import YEAR, define, event_count, execute, report, target_of


def test_figures_rag_and_commentary_make_the_report(store: Store) -> None:
    define(store)
    execute(store, type="report_figure", id="f1", year=YEAR, code="PW1", quarter="Q1", value=25)
    execute(store, type="report_figure", id="f2", year=YEAR, code="PW1", quarter="Q2", value=21)
    execute(store, type="set_rag", id="r1", year=YEAR, code="PW1", quarter="Q1", rag="green")
    execute(store, type="set_rag", id="r2", year=YEAR, code="PW1", quarter="Q2", rag="amber")
    execute(
        store,
        type="comment",
        id="c1",
        year=YEAR,
        code="PW1",
        quarter="Q1",
        kind="delivered",
        text="25 delivered",
    )
    execute(
        store,
        type="comment",
        id="c2",
        year=YEAR,
        code="PW1",
        quarter="Q2",
        kind="forecast",
        text="on track",
    )
    pw1 = target_of(report(store), "PW1")
    assert pw1["quarters"] == {"Q1": 25, "Q2": 21, "Q3": None, "Q4": None}
    assert (pw1["total"], pw1["percent_achieved"], pw1["rag"]) == (46, 42, "amber")
    assert pw1["rag_by_quarter"] == {"Q1": "green", "Q2": "amber", "Q3": None, "Q4": None}
    assert pw1["commentary"] == {
        "delivered": "25 delivered",
        "impact": None,
        "forecast": "on track",
    }


def test_engagements_count_until_a_figure_is_reported(store: Store) -> None:
    define(store)
    for n, council in enumerate(["Kent County Council", "Leeds City Council"]):
        execute(
            store,
            type="record_engagement",
            id=f"e{n}",
            year=YEAR,
            code="PW1",
            date="2016-07-0" + str(n + 1),
            council=council,
            count=2,
        )
    assert target_of(report(store), "PW1")["quarters"]["Q2"] == 4
    execute(store, type="report_figure", id="f", year=YEAR, code="PW1", quarter="Q2", value=0)
    assert target_of(report(store), "PW1")["quarters"]["Q2"] == 0


def test_unknown_target_and_date_outside_the_year_store_nothing(store: Store) -> None:
    define(store)
    before = event_count(store)
    with pytest.raises(UnknownReference) as refusal:
        execute(store, type="report_figure", id="f", year=YEAR, code="NOPE", quarter="Q1", value=1)
    assert refusal.value.field == "code"
    with pytest.raises(Exception, match="outside the financial year"):
        execute(
            store,
            type="record_engagement",
            id="e",
            year=YEAR,
            code="PW1",
            date="2017-04-01",
            council="Kent County Council",
        )
    assert event_count(store) == before


def test_the_same_command_twice_stores_once_and_different_content_conflicts(
    store: Store,
) -> None:
    define(store)
    figure = {
        "type": "report_figure",
        "id": "f1",
        "year": YEAR,
        "code": "PW1",
        "quarter": "Q1",
        "value": 25,
    }
    assert execute(store, **figure) is Outcome.STORED
    stored = event_count(store)
    assert execute(store, **figure) is Outcome.ALREADY_STORED
    assert event_count(store) == stored
    with pytest.raises(CommandConflict):
        execute(store, **(figure | {"value": 26}))
    assert event_count(store) == stored


def test_idempotency_survives_reopening_the_store(store_url: str) -> None:
    from infra.store import open_store

    first = open_store(store_url)
    define(first)
    first.close()
    second = open_store(store_url)
    try:
        stored = event_count(second)
        define(second)
        assert event_count(second) == stored
    finally:
        second.close()


def test_a_closed_quarter_needs_a_restatement_reason(store: Store) -> None:
    define(store)
    execute(store, type="report_figure", id="f1", year=YEAR, code="PW1", quarter="Q1", value=25)
    execute(store, type="close_quarter", id="close-q1", year=YEAR, quarter="Q1")
    for refused in (
        {"type": "report_figure", "id": "f2", "value": 27},
        {"type": "set_rag", "id": "r2", "rag": "red"},
        {"type": "comment", "id": "c2", "kind": "impact", "text": "late"},
    ):
        with pytest.raises(QuarterClosed, match="closed"):
            execute(store, year=YEAR, code="PW1", quarter="Q1", **refused)
    with pytest.raises(QuarterClosed):
        execute(
            store,
            type="record_engagement",
            id="e",
            year=YEAR,
            code="PW1",
            date="2016-04-02",
            council="Kent County Council",
        )
    execute(
        store,
        type="report_figure",
        id="f3",
        year=YEAR,
        code="PW1",
        quarter="Q1",
        value=27,
        restatement_reason="audited",
        actor="auditor",
    )
    document = report(store)
    assert document["closed_quarters"] == ["Q1"]
    pw1 = target_of(document, "PW1")
    assert pw1["quarters"]["Q1"] == 27
    [restatement] = pw1["restatements"]
    assert restatement["old"] == 25
    assert restatement["new"] == 27
    assert restatement["restatement_reason"] == "audited"
    assert restatement["actor"] == "auditor"
    with pytest.raises(Conflict, match="already closed"):
        execute(store, type="close_quarter", id="close-q1-again", year=YEAR, quarter="Q1")


def test_history_keeps_every_commentary_edit_with_author(store: Store) -> None:
    define(store)
    for n, author in enumerate(["alice", "bob", "carol"]):
        execute(
            store,
            type="comment",
            id=f"c{n}",
            year=YEAR,
            code="PW1",
            quarter="Q1",
            kind="delivered",
            text=f"draft {n}",
            actor=author,
            reason=f"edit {n}",
        )
    report(store)
    edits = [
        e.document()
        for e in read_history(store.read_models, YEAR, "PW1")
        if e.event.endswith("CommentaryWritten")
    ]
    assert [(e["actor"], e["old"], e["new"], e["reason"]) for e in edits] == [
        ("alice", None, "draft 0", "edit 0"),
        ("bob", "draft 0", "draft 1", "edit 1"),
        ("carol", "draft 1", "draft 2", "edit 2"),
    ]
    assert all(e["recorded_at"] and e["command_id"] for e in edits)


def test_milestones_revised_later_earlier_and_never(store: Store) -> None:
    for name, due in (("later", "2016-09-30"), ("earlier", "2017-01-31"), ("never", "2016-07-31")):
        execute(
            store, type="define_milestone", id=f"m-{name}", project="P", milestone=name, due=due
        )
    execute(
        store,
        type="revise_milestone",
        id="r1",
        project="P",
        milestone="later",
        revised_due="2016-11-30",
        reason="supplier late",
    )
    execute(
        store,
        type="revise_milestone",
        id="r2",
        project="P",
        milestone="earlier",
        revised_due="2017-01-16",
        reason="testing done early",
    )
    execute(
        store,
        type="complete_milestone",
        id="c1",
        project="P",
        milestone="never",
        completed_on="2016-07-28",
    )
    with pytest.raises(UnknownReference):
        execute(
            store,
            type="revise_milestone",
            id="r3",
            project="P",
            milestone="ghost",
            revised_due="2017-01-16",
        )
    report(store)
    found = {m.milestone: m.document() for m in read_milestones(store.read_models)}
    assert (found["later"]["current_due"], found["later"]["slippage_days"]) == ("2016-11-30", 61)
    assert (found["earlier"]["current_due"], found["earlier"]["slippage_days"]) == (
        "2017-01-16",
        -15,
    )
    assert (found["never"]["current_due"], found["never"]["slippage_days"]) == ("2016-07-31", 0)
    assert found["never"]["completed_on"] == "2016-07-28"
    assert found["later"]["revisions"][0]["reason"] == "supplier late"


def test_risks_are_scored_and_banded(store: Store) -> None:
    execute(store, type="assess_risk", id="a1", ref="R1", title="Grant", impact=4, likelihood=3)
    execute(store, type="assess_risk", id="a2", ref="R1", impact=4, likelihood=4)
    execute(store, type="assess_risk", id="a3", ref="R2", title="Staff", impact=1, likelihood=5)
    report(store)
    contract = ("ref", "title", "impact", "likelihood", "score", "band")
    found = [r.document() for r in read_risks(store.read_models)]
    assert [list(r)[: len(contract)] for r in found] == [list(contract)] * 2  # then additions
    assert [{k: r[k] for k in contract} for r in found] == [
        {"ref": "R1", "title": "Grant", "impact": 4, "likelihood": 4, "score": 16, "band": "red"},
        {"ref": "R2", "title": "Staff", "impact": 1, "likelihood": 5, "score": 5, "band": "green"},
    ]


def test_redefining_a_target_with_other_content_is_a_conflict_naming_its_title(
    store: Store,
) -> None:
    define(store)
    before = event_count(store)
    with pytest.raises(Conflict, match=r"'Target PW1'.*amend_target") as refusal:
        execute(
            store,
            type="define_target",
            id="define-PW1-v2",
            year=YEAR,
            code="PW1",
            title="Peer challenges delivered",
            aggregation="sum",
            target=120,
        )
    assert refusal.value.field == "code"
    assert event_count(store) == before
    # The same definition under another id changes nothing.
    execute(
        store,
        type="define_target",
        id="define-PW1-again",
        year=YEAR,
        code="PW1",
        title="Target PW1",
        theme="Peer support",
        aggregation="sum",
        target=110,
    )
    assert target_of(report(store), "PW1")["target"] == 110


def test_amend_target_changes_the_given_fields_with_its_reason(store: Store) -> None:
    define(store, unit="councils")
    execute(
        store,
        type="amend_target",
        id="amend-PW1",
        year=YEAR,
        code="pw1 ",
        target=120,
        unit=None,
        reason="Board raised the target in September",
    )
    pw1 = target_of(report(store), "PW1")
    assert (pw1["title"], pw1["target"], pw1["unit"]) == ("Target PW1", 120, None)
    amended = read_history(store.read_models, YEAR, "PW1")[-1].document()
    assert amended["reason"] == "Board raised the target in September"
    assert (amended["old"]["target"], amended["new"]["target"]) == (110, 120)
    with pytest.raises(BadInput, match="changes nothing"):
        execute(
            store,
            type="amend_target",
            id="amend-2",
            year=YEAR,
            code="PW1",
            target=120,
            reason="again",
        )
    with pytest.raises(BadInput) as no_reason:
        execute(store, type="amend_target", id="amend-3", year=YEAR, code="PW1", target=1)
    assert no_reason.value.field == "reason"


@pytest.mark.parametrize("spelling", ["ZX1 ", " zx1", "Zx1", "ＺＸ１"])
def test_a_code_is_one_target_however_it_is_spelled(store: Store, spelling: str) -> None:
    define(store, code="ZX1")
    execute(
        store,
        type="report_figure",
        id="fig",
        year=YEAR,
        code=spelling,
        quarter="Q1",
        value=5,
    )
    document = report(store)
    assert [t["code"] for t in document["targets"]] == ["ZX1"]
    assert target_of(document, "ZX1")["quarters"]["Q1"] == 5
