from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import FinancialYear, Quarter
from domain.engagements import Engagement
from domain.errors import BadInput, QuarterClosed
from domain.provenance import Provenance
from domain.quarter_close import ReportingYear
from domain.rag import CommentaryKind, Rag
from domain.receipts import CommandReceipt
from domain.targets import Target, TargetDefinition

YEAR = FinancialYear.parse("2016/17")


def a_target(**overrides: object) -> Target:
    definition = {"title": "Peer challenges", "aggregation": "sum", "target": 110} | overrides
    return Target.define(
        YEAR,
        "PW1",
        TargetDefinition(**definition),  # type: ignore[arg-type]
        Provenance("define", actor="officer"),
    )


def test_a_target_needs_a_known_aggregation_and_a_target_of_zero_or_more() -> None:
    with pytest.raises(BadInput) as refusal:
        a_target(aggregation="average")
    assert refusal.value.field == "aggregation"
    with pytest.raises(BadInput) as refusal:
        a_target(target=-5)
    assert refusal.value.field == "target"


def test_a_narrative_outcome_has_no_numeric_target() -> None:
    assert a_target(target=None).definition.target is None


def test_the_latest_figure_of_a_quarter_wins_and_remembers_the_previous() -> None:
    target = a_target()
    target.report_figure(Quarter.Q1, 25, Provenance("f1"), closed=False)
    target.report_figure(Quarter.Q1, 27, Provenance("f2", reason="late return"), closed=False)
    assert target.reported[Quarter.Q1] == 27
    last = target.collect_events()[-1]
    assert isinstance(last, Target.FigureReported)
    assert (last.previous, last.value, last.reason) == (25, 27, "late return")


def test_a_closed_quarter_refuses_figures_rag_and_commentary_without_a_reason() -> None:
    target = a_target()
    with pytest.raises(QuarterClosed, match="closed"):
        target.report_figure(Quarter.Q1, 25, Provenance("f1"), closed=True)
    with pytest.raises(QuarterClosed, match="closed"):
        target.set_rag(Quarter.Q1, Rag.GREEN, Provenance("r1"), closed=True)
    with pytest.raises(QuarterClosed, match="closed"):
        target.write_commentary(
            Quarter.Q1,
            CommentaryKind.DELIVERED,
            "x",
            Provenance("c1"),
            closed=True,
            restatement_reason="  ",
        )
    assert target.version == 1  # nothing happened


def test_a_restatement_is_accepted_and_marked() -> None:
    target = a_target()
    target.report_figure(
        Quarter.Q1, 30, Provenance("f1"), closed=True, restatement_reason="audited figure"
    )
    event = target.collect_events()[-1]
    assert isinstance(event, Target.FigureReported)
    assert event.restatement_reason == "audited figure"


def test_a_restatement_reason_on_an_open_quarter_is_not_a_restatement() -> None:
    target = a_target()
    target.report_figure(
        Quarter.Q2, 30, Provenance("f1"), closed=False, restatement_reason="not needed"
    )
    event = target.collect_events()[-1]
    assert isinstance(event, Target.FigureReported)
    assert event.restatement_reason is None


def test_rag_records_what_it_was_judged_against() -> None:
    target = a_target()
    target.report_figure(Quarter.Q2, 21, Provenance("f"), closed=False)
    target.set_rag(Quarter.Q2, Rag.AMBER, Provenance("r"), closed=False)
    event = target.collect_events()[-1]
    assert isinstance(event, Target.RagSet)
    assert (event.rag, event.reported_figure, event.annual_target) == ("amber", 21, 110)


def test_every_commentary_edit_is_kept_as_an_event() -> None:
    target = a_target()
    for text in ("first", "second", "third"):
        target.write_commentary(
            Quarter.Q1, CommentaryKind.IMPACT, text, Provenance(text), closed=False
        )
    edits = [e for e in target.collect_events() if isinstance(e, Target.CommentaryWritten)]
    assert [(e.previous, e.text) for e in edits] == [
        (None, "first"),
        ("first", "second"),
        ("second", "third"),
    ]


def test_engagements_fall_in_the_quarter_of_their_date_within_the_year() -> None:
    target = a_target()
    engagement = Engagement.record(
        target,
        date(2016, 10, 3),
        "Leeds City Council",
        Provenance("e1"),
        closed_quarters=frozenset(),
    )
    assert engagement.quarter == "Q3"
    with pytest.raises(BadInput) as refusal:
        Engagement.record(
            target,
            date(2016, 3, 31),
            "Leeds City Council",
            Provenance("e2"),
            closed_quarters=frozenset(),
        )
    assert refusal.value.field == "date"
    with pytest.raises(QuarterClosed):
        Engagement.record(
            target,
            date(2016, 5, 1),
            "Leeds City Council",
            Provenance("e3"),
            closed_quarters=frozenset({Quarter.Q1}),
        )


def test_a_quarter_closes_once() -> None:
    year = ReportingYear.open(YEAR, Provenance("open"))
    year.close(Quarter.Q1, Provenance("close-1"))
    assert year.is_closed(Quarter.Q1)
    with pytest.raises(Exception, match="already closed"):
        year.close(Quarter.Q1, Provenance("close-2"))


def test_a_receipt_tells_a_replay_from_a_conflict() -> None:
    receipt = CommandReceipt.accept("report_figure", "abc", Provenance("c1"))
    receipt.confirm_same("c1", "abc")
    with pytest.raises(Exception, match="different content"):
        receipt.confirm_same("c1", "def")


def test_a_negative_figure_is_refused_naming_value_unless_the_target_allows_it() -> None:
    target = a_target()
    with pytest.raises(BadInput, match="does not allow negative") as refusal:
        target.report_figure(Quarter.Q1, -2, Provenance("f1"), closed=False)
    assert refusal.value.field == "value"
    assert target.collect_events()[1:] == []
    change = a_target(target=0, allow_negative=True, aggregation="latest")
    change.report_figure(Quarter.Q1, -2, Provenance("f2"), closed=False)
    change.report_figure(Quarter.Q2, -6.8, Provenance("f3"), closed=False)
    assert change.reported == {Quarter.Q1: -2, Quarter.Q2: -6.8}


def test_negative_figures_stay_allowed_while_any_is_reported() -> None:
    change = a_target(target=0, allow_negative=True, aggregation="latest")
    change.report_figure(Quarter.Q1, -2, Provenance("f1"), closed=False)
    with pytest.raises(BadInput) as refusal:
        change.amend(
            TargetDefinition(title="Peer challenges", aggregation="latest", target=0),
            Provenance("a1"),
        )
    assert refusal.value.field == "allow_negative"


def test_the_events_of_a_target_using_no_new_key_are_as_before() -> None:
    [defined] = a_target(lead="L", board="B").collect_events()
    assert isinstance(defined, Target.Defined)
    assert set(defined.definition) == {
        "title", "aggregation", "theme", "target", "unit", "lead", "board"
    }  # fmt: skip
    [lower] = a_target(direction="lower_is_better", threshold="at_most").collect_events()
    assert isinstance(lower, Target.Defined)
    assert (lower.definition.get("direction"), lower.definition["threshold"]) == (None, "at_most")
