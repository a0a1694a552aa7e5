"""The upcasting drill: a store holding events as earlier versions wrote them reads, reports,
rebuilds and verifies with today's code, and its aggregates take new commands."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import StoredEvent

from application import audit
from application.commands import parse_command
from domain.calendar import FinancialYear, Quarter
from domain.engagements import Engagement
from domain.identity import receipt_id
from domain.provenance import Provenance
from domain.rag import Rag
from domain.risks import Risk
from domain.targets import Target, TargetDefinition
from infra.store import Store
from projections.quarterly_return import read_return
from projections.registers import read_history, read_risks
from projections.runner import ProjectionRunner
from tests.builders import figure
from tests.integration.helpers import YEAR, execute, report, target_of

# What each event class lacked in its first version (see the upcast_v1_v2 methods).
OLD_SHAPES: dict[type, tuple[str, ...]] = {
    Target.FigureReported: ("restatement_reason",),
    Target.RagSet: ("annual_target", "restatement_reason"),
    Engagement.Recorded: ("digest", "council_code"),
    Risk.Registered: ("category", "mitigation"),
    Risk.Reassessed: ("category", "mitigation"),
}


def _as_first_version(store: Store, event: Any) -> StoredEvent:
    """The event encoded as version 1 wrote it: without the later fields, no class_version."""
    stored = store.ledger.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    assert state.pop("class_version", None) == getattr(type(event), "class_version", 1)
    for field in OLD_SHAPES[type(event)]:
        del state[field]
    return StoredEvent(
        stored.originator_id,
        stored.originator_version,
        stored.topic,
        json.dumps(state, separators=(",", ":")).encode(),
    )


def _old_store(store: Store) -> None:
    """A target with a figure and a RAG, and an engagement, written in the old shapes."""
    provenance = Provenance("old-1", actor="officer")
    target = Target.define(
        FinancialYear.parse(YEAR),
        "PW1",
        TargetDefinition(title="Peer challenges", aggregation="sum", target=110),
        provenance,
    )
    target.report_figure(Quarter.Q1, 25, Provenance("old-2"), closed=False)
    target.set_rag(Quarter.Q1, Rag.GREEN, Provenance("old-3"), closed=False)
    engagement = Engagement.record(
        target, FinancialYear.parse(YEAR).quarter_start(Quarter.Q2), "Kent", Provenance("old-4"),
        closed_quarters=frozenset(),
    )  # fmt: skip
    risk = Risk.register("R1", 4, 3, Provenance("old-5"), title="Grant", owner="Finance")
    risk.reassess(4, 4, Provenance("old-6"))
    events = [*target.collect_events(), *engagement.collect_events(), *risk.collect_events()]
    stored = [
        _as_first_version(store, e)
        if type(e) in OLD_SHAPES
        else store.ledger.mapper.to_stored_event(e)
        for e in events
    ]
    assert sum(b'"class_version"' in s.state for s in stored) == 0
    store.chain.insert_events(stored)


def test_a_store_of_first_version_events_reads_reports_rebuilds_and_verifies(
    store: Store,
) -> None:
    _old_store(store)
    pw1 = target_of(report(store), "PW1")
    assert pw1["quarters"] == {"Q1": 25, "Q2": 1, "Q3": None, "Q4": None}
    assert pw1["rag_by_quarter"]["Q1"] == "green"
    assert pw1["restatements"] == []
    history = [entry.document() for entry in read_history(store.read_models, YEAR, "PW1")]
    assert [entry["event"] for entry in history] == [
        "Target.Defined",
        "Target.FigureReported",
        "Target.RagSet",
        "Engagement.Recorded",
    ]
    rag = history[2]
    assert (rag["new"], rag["annual_target"]) == ("green", None)

    before = read_return(store.read_models, YEAR).document()
    ProjectionRunner(store.ledger, store.read_models).rebuild()
    assert read_return(store.read_models, YEAR).document() == before
    assert audit.verify(store.chain, store.ledger.mapper).ok

    # The aggregate replays its old events through the upcasters and takes new commands.
    execute(store, figure("Q1", 27, id="new"))
    assert target_of(report(store), "PW1")["quarters"]["Q1"] == 27
    assert store.ledger.find(Engagement, receipt_id("old-4")) is not None

    # Risks assessed before categories and mitigations: not known then, and the score
    # history and direction of travel follow from the old events all the same.
    [risk] = read_risks(store.read_models)
    assert (risk.category, risk.mitigation, risk.owner) == (None, None, "Finance")
    assert (risk.score, risk.previous_score, risk.direction_of_travel) == (16, 12, "up")
    store.ledger.execute(
        parse_command(
            {"type": "assess_risk", "id": "new-risk", "ref": "R1", "impact": 2}
            | {"likelihood": 2, "category": "Resource management"}
        )
    )
    report(store)
    [risk] = read_risks(store.read_models)
    assert (risk.category, risk.title, risk.direction_of_travel) == (
        "Resource management",
        "Grant",
        "down",
    )


def test_events_stored_under_a_module_that_moved_still_resolve(store: Store) -> None:
    import domain.targets
    from application.event_topics import register_previous_topic, topics_of

    old_module = "domain.returns_targets_before_the_move"
    register_previous_topic(old_module, domain.targets)
    assert f"{old_module}:Target.Defined" in topics_of(Target.Defined)
    defined = Target.define(
        FinancialYear.parse("2017/18"),
        "MV1",
        TargetDefinition(title="Moved", aggregation="sum"),
        Provenance("moved-1"),
    )
    [event] = defined.collect_events()
    stored = store.ledger.mapper.to_stored_event(event)
    moved = StoredEvent(
        stored.originator_id,
        stored.originator_version,
        stored.topic.replace("domain.targets", old_module),
        stored.state,
    )
    store.chain.insert_events([moved])
    assert "2017/18" in store.ledger.known_years()  # selected by its old topic
    assert [t["code"] for t in report(store, "2017/18")["targets"]] == ["MV1"]
    assert store.ledger.find(Target, defined.id) is not None
    assert audit.verify(store.chain, store.ledger.mapper).ok
