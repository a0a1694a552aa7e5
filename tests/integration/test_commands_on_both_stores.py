"""Each command of the contract against SQLite and PostgreSQL: what it does to the return,
the history and the registers, and that its id is remembered across reopening the store.
The rules that need no database are tested on the in-memory store (tests/unit)."""

from __future__ import annotations

import pytest

from domain.errors import BadInput, Conflict, QuarterClosed, UnknownReference
from infra.store import Store
from projections.registers import read_history, read_milestones, read_risks
from tests.builders import (
    amend,
    close,
    comment,
    complete_milestone,
    define,
    engagement,
    figure,
    milestone,
    rag,
    revise_milestone,
    risk,
)
from tests.integration.helpers import YEAR, event_count, execute, execute_all, report, target_of


def test_figures_rag_and_commentary_make_the_report(store: Store) -> None:
    execute_all(
        store,
        [
            define(),
            figure("Q1", 25),
            figure("Q2", 21),
            rag("Q1", "green"),
            rag("Q2", "amber"),
            comment("Q1", "25 delivered"),
            comment("Q2", "on track", kind="forecast"),
        ],
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
    execute(store, define())
    for n, council in enumerate(["Kent County Council", "Leeds City Council"]):
        execute(store, engagement(f"2016-07-0{n + 1}", council=council, count=2))
    assert target_of(report(store), "PW1")["quarters"]["Q2"] == 4
    execute(store, figure("Q2", 0))
    assert target_of(report(store), "PW1")["quarters"]["Q2"] == 0


def test_idempotency_survives_reopening_the_store(store_url: str) -> None:
    from infra.store import open_store

    first = open_store(store_url)
    execute(first, define())
    first.close()
    second = open_store(store_url)
    try:
        stored = event_count(second)
        execute(second, define())
        assert event_count(second) == stored
    finally:
        second.close()


def test_a_closed_quarter_needs_a_restatement_reason(store: Store) -> None:
    execute_all(store, [define(), figure("Q1", 25), close("Q1", id="close-q1")])
    for refused in (figure("Q1", 27), rag("Q1", "red"), comment("Q1", "late", kind="impact")):
        with pytest.raises(QuarterClosed, match="closed"):
            execute(store, refused)
    with pytest.raises(QuarterClosed):
        execute(store, engagement("2016-04-02"))
    execute(store, figure("Q1", 27, restatement_reason="audited", actor="auditor"))
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
        execute(store, close("Q1", id="close-q1-again"))


def test_history_keeps_every_commentary_edit_with_author(store: Store) -> None:
    execute(store, define())
    for n, author in enumerate(["alice", "bob", "carol"]):
        execute(store, comment("Q1", f"draft {n}", id=f"c{n}", actor=author, reason=f"edit {n}"))
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
        execute(store, milestone(name, due))
    execute(store, revise_milestone("later", "2016-11-30", reason="supplier late"))
    execute(store, revise_milestone("earlier", "2017-01-16", reason="testing done early"))
    execute(store, complete_milestone("never", "2016-07-28"))
    with pytest.raises(UnknownReference):
        execute(store, revise_milestone("ghost", "2017-01-16"))
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
    execute(store, risk("R1", 4, 3, title="Grant"))
    execute(store, risk("R1", 4, 4))
    execute(store, risk("R2", 1, 5, title="Staff"))
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
    execute(store, define())
    before = event_count(store)
    with pytest.raises(Conflict, match=r"'Target PW1'.*amend_target") as refusal:
        execute(
            store,
            define(id="define-PW1-v2", title="Peer challenges delivered", theme=None, target=120),
        )
    assert refusal.value.field == "code"
    assert event_count(store) == before
    # The same definition under another id changes nothing.
    execute(store, define(id="define-PW1-again"))
    assert target_of(report(store), "PW1")["target"] == 110


def test_amend_target_changes_the_given_fields_with_its_reason(store: Store) -> None:
    execute(store, define(unit="councils"))
    execute(
        store,
        amend(
            "pw1 ",
            id="amend-PW1",
            target=120,
            unit=None,
            reason="Board raised the target in September",
        ),
    )
    pw1 = target_of(report(store), "PW1")
    assert (pw1["title"], pw1["target"], pw1["unit"]) == ("Target PW1", 120, None)
    amended = read_history(store.read_models, YEAR, "PW1")[-1].document()
    assert amended["reason"] == "Board raised the target in September"
    assert (amended["old"]["target"], amended["new"]["target"]) == (110, 120)
    with pytest.raises(BadInput, match="changes nothing"):
        execute(store, amend(target=120, reason="again"))
    with pytest.raises(BadInput) as no_reason:
        execute(store, amend(target=1, reason=None))
    assert no_reason.value.field == "reason"


@pytest.mark.parametrize("spelling", ["ZX1 ", " zx1", "Zx1", "ＺＸ１"])
def test_a_code_is_one_target_however_it_is_spelled(store: Store, spelling: str) -> None:
    execute(store, define("ZX1"))
    execute(store, figure("Q1", 5, code=spelling))
    document = report(store)
    assert [t["code"] for t in document["targets"]] == ["ZX1"]
    assert target_of(document, "ZX1")["quarters"]["Q1"] == 5
