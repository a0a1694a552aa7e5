"""The contract's rules for commands, decided by the returns ledger on the in-memory store:
idempotency by command id, unknown references, closed quarters and restatements, canonical
codes and names, amend_target, and aggregates replayed from their events."""

from __future__ import annotations

from typing import Any

import pytest

from application.ledger import Outcome, ReturnsLedger
from domain.calendar import Quarter
from domain.engagements import Engagement
from domain.errors import BadInput, CommandConflict, Conflict, QuarterClosed, UnknownReference
from domain.identity import milestone_id, receipt_id, risk_id, target_id
from domain.milestones import Milestone
from domain.rag import CommentaryKind, Rag
from domain.risks import Risk
from domain.targets import Target
from tests.builders import (
    YEAR,
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
from tests.unit.ledgers import event_count, execute


def _target(ledger: ReturnsLedger, code: str = "PW1") -> Target:
    found = ledger.find(Target, target_id(YEAR, code))
    assert found is not None
    return found


def _last_event(ledger: ReturnsLedger) -> object:
    [notification] = ledger.recorder.select_notifications(event_count(ledger), 1)
    return ledger.mapper.to_domain_event(notification)


def test_the_same_command_twice_stores_once_and_different_content_conflicts(
    ledger: ReturnsLedger,
) -> None:
    execute(ledger, define())
    payload = figure("Q1", 25, id="f1")
    assert execute(ledger, payload) is Outcome.STORED
    stored = event_count(ledger)
    assert execute(ledger, payload) is Outcome.ALREADY_STORED
    assert event_count(ledger) == stored
    with pytest.raises(CommandConflict):
        execute(ledger, payload | {"value": 26})
    assert event_count(ledger) == stored


def test_who_sent_a_command_is_not_its_content(ledger: ReturnsLedger) -> None:
    execute(ledger, define())
    payload = engagement(id="e1", actor="alice")
    assert execute(ledger, payload) is Outcome.STORED
    assert execute(ledger, payload | {"actor": "bob"}) is Outcome.ALREADY_STORED
    with pytest.raises(CommandConflict) as refusal:
        execute(ledger, payload | {"count": 2})
    assert refusal.value.field == "id"


def test_unknown_target_and_date_outside_the_year_store_nothing(ledger: ReturnsLedger) -> None:
    execute(ledger, define())
    before = event_count(ledger)
    with pytest.raises(UnknownReference) as refusal:
        execute(ledger, figure("Q1", 1, code="NOPE"))
    assert refusal.value.field == "code"
    with pytest.raises(Exception, match="outside the financial year"):
        execute(ledger, engagement("2017-04-01"))
    assert event_count(ledger) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (figure(code="NOPE"), "code"),
        (rag(code="NOPE"), "code"),
        (comment(code="NOPE"), "code"),
        (engagement(code="NOPE"), "code"),
        (amend("NOPE", target=5), "code"),
        (figure(year="2017/18"), "code"),  # PW1 is a target of 2016/17 only
        (revise_milestone("ghost", "2017-01-16"), "milestone"),
        (complete_milestone("ghost", "2016-07-28"), "milestone"),
    ],
    ids=lambda value: value["type"] if isinstance(value, dict) else value,
)
def test_a_reference_to_something_undefined_is_refused_naming_it(
    ledger: ReturnsLedger, payload: dict[str, object], field: str
) -> None:
    execute(ledger, define())
    before = event_count(ledger)
    with pytest.raises(UnknownReference) as refusal:
        execute(ledger, payload)
    assert refusal.value.field == field
    assert event_count(ledger) == before


def test_a_refused_command_leaves_the_commands_before_it_stored(ledger: ReturnsLedger) -> None:
    execute(ledger, define())
    execute(ledger, figure("Q1", 25))
    with pytest.raises(BadInput):
        execute(ledger, figure("Q2", 1, code="NOPE"))
    execute(ledger, figure("Q2", 21))
    assert _target(ledger).reported == {Quarter.Q1: 25, Quarter.Q2: 21}


def test_a_closed_quarter_refuses_writes_without_a_restatement_reason(
    ledger: ReturnsLedger,
) -> None:
    execute(ledger, define())
    execute(ledger, figure("Q1", 25))
    execute(ledger, close("Q1", id="close-q1"))
    before = event_count(ledger)
    for refused in (figure("Q1", 27), rag("Q1", "red"), comment("Q1", "late"), engagement()):
        with pytest.raises(QuarterClosed, match="closed"):
            execute(ledger, refused)
    with pytest.raises(QuarterClosed):
        execute(ledger, figure("Q1", 27, restatement_reason="   "))
    assert event_count(ledger) == before
    # Q2 is open; Q1 takes a restatement, marked as one.
    execute(ledger, figure("Q2", 21))
    execute(ledger, figure("Q1", 27, restatement_reason="audited", actor="auditor"))
    restated = _last_event(ledger)
    assert isinstance(restated, Target.FigureReported)
    assert (restated.previous, restated.value) == (25, 27)
    assert (restated.restatement_reason, restated.actor) == ("audited", "auditor")
    assert _target(ledger).reported == {Quarter.Q1: 27, Quarter.Q2: 21}
    execute(ledger, engagement(restatement_reason="late report", id="late"))
    late = ledger.find(Engagement, receipt_id("late"))
    assert late is not None
    assert late.restatement_reason == "late report"
    # A quarter closes once: the same close again is a replay, another one a conflict.
    assert execute(ledger, close("Q1", id="close-q1")) is Outcome.ALREADY_STORED
    with pytest.raises(Conflict, match="already closed"):
        execute(ledger, close("Q1", id="close-q1-again"))


def test_a_restatement_reason_on_an_open_quarter_is_not_a_restatement(
    ledger: ReturnsLedger,
) -> None:
    execute(ledger, define())
    execute(ledger, figure("Q2", 30, restatement_reason="not needed"))
    reported = _last_event(ledger)
    assert isinstance(reported, Target.FigureReported)
    assert reported.restatement_reason is None


def test_a_command_retried_after_its_quarter_closed_is_recognised(ledger: ReturnsLedger) -> None:
    execute(ledger, define())
    reported, engaged = figure("Q1", 25), engagement()
    execute(ledger, reported)
    execute(ledger, engaged)
    execute(ledger, close("Q1"))
    stored = event_count(ledger)
    assert execute(ledger, reported) is Outcome.ALREADY_STORED
    assert execute(ledger, engaged) is Outcome.ALREADY_STORED
    with pytest.raises(CommandConflict):
        execute(ledger, reported | {"value": 26})
    assert event_count(ledger) == stored


@pytest.mark.parametrize("spelling", ["ZX1 ", " zx1", "Zx1", "ＺＸ１"])
def test_a_code_is_one_target_however_it_is_spelled(ledger: ReturnsLedger, spelling: str) -> None:
    execute(ledger, define("ZX1"))
    execute(ledger, figure("Q1", 5, code=spelling))
    execute(ledger, rag("Q1", "amber", code=spelling))
    target = _target(ledger, "ZX1")
    assert (target.code, target.reported, target.rags) == (
        "ZX1",
        {Quarter.Q1: 5},
        {Quarter.Q1: Rag.AMBER},
    )
    # The same definition under another spelling (and id) is the same target: no conflict.
    assert execute(ledger, define(spelling, id="again", title="Target ZX1")) is Outcome.STORED
    assert ledger.find(Target, target_id(YEAR, spelling)) is None
    assert ledger.known_years() == [YEAR]


def test_names_and_refs_are_one_however_they_are_spelled(ledger: ReturnsLedger) -> None:
    execute(ledger, milestone("Go live", "2016-09-30", project="LG Inform"))
    execute(ledger, revise_milestone(" Go\u00a0live ", "2016-11-30", project="LG  Inform"))
    found = ledger.find(Milestone, milestone_id("LG Inform", "Go live"))
    assert found is not None
    assert str(found.current_due) == "2016-11-30"
    with pytest.raises(Conflict) as refusal:
        execute(ledger, milestone("Go live ", "2016-10-31", project="LG Inform"))
    assert refusal.value.field == "milestone"
    execute(ledger, risk("r1", 4, 3, title="Grant"))
    execute(ledger, risk(" R1", 4, 4))
    scored = ledger.find(Risk, risk_id("R1"))
    assert scored is not None
    assert (scored.impact, scored.likelihood, scored.title) == (4, 4, "Grant")


def test_redefining_a_target_with_other_content_is_a_conflict_naming_its_title(
    ledger: ReturnsLedger,
) -> None:
    execute(ledger, define())
    before = event_count(ledger)
    with pytest.raises(Conflict, match=r"'Target PW1'.*amend_target") as refusal:
        execute(ledger, define(id="define-PW1-v2", title="Peer challenges delivered", target=120))
    assert refusal.value.field == "code"
    assert event_count(ledger) == before
    assert execute(ledger, define(id="define-PW1-again")) is Outcome.STORED  # its receipt only
    assert event_count(ledger) == before + 1
    assert _target(ledger).definition.target == 110


def test_amend_target_changes_only_the_given_fields_with_its_reason(
    ledger: ReturnsLedger,
) -> None:
    execute(ledger, define(unit="councils"))
    execute(ledger, amend("pw1 ", target=120, unit=None, reason="Board raised the target"))
    definition = _target(ledger).definition
    assert (definition.title, definition.theme) == ("Target PW1", "Peer support")
    assert (definition.target, definition.unit) == (120, None)
    amended = _last_event(ledger)
    assert isinstance(amended, Target.Amended)
    assert amended.reason == "Board raised the target"
    assert (amended.previous["target"], amended.definition["target"]) == (110, 120)
    # A RAG set after the amendment is judged against the new target.
    execute(ledger, rag("Q1", "green"))
    judged = _last_event(ledger)
    assert isinstance(judged, Target.RagSet)
    assert judged.annual_target == 120
    with pytest.raises(BadInput, match="changes nothing"):
        execute(ledger, amend(target=120, reason="again"))
    with pytest.raises(BadInput) as no_reason:
        execute(ledger, amend(target=1, reason=None))
    assert no_reason.value.field == "reason"


def test_a_target_replayed_from_its_events_is_what_its_commands_made(
    ledger: ReturnsLedger,
) -> None:
    execute(ledger, define())
    for payload in (
        figure("Q1", 25),
        figure("Q1", 26, reason="late return"),
        rag("Q1", "amber"),
        comment("Q1", "first draft"),
        comment("Q1", "agreed", kind="delivered"),
        comment("Q2", "slipping", kind="forecast"),
        amend(target=120),
    ):
        execute(ledger, payload)
    events = ledger.recorder.select_notifications(1, 100)
    replayed: object = ledger.repository.get(target_id(YEAR, "PW1"))  # from its events
    assert isinstance(replayed, Target)
    assert replayed.version == sum(e.originator_id == replayed.id for e in events)
    assert replayed.reported == {Quarter.Q1: 26}
    assert replayed.rags == {Quarter.Q1: Rag.AMBER}
    assert replayed.commentary == {
        (Quarter.Q1, CommentaryKind.DELIVERED): "agreed",
        (Quarter.Q2, CommentaryKind.FORECAST): "slipping",
    }
    assert replayed.definition.target == 120


INVISIBLE = ["\u200b", " \u2060 ", "\ufeff\u200b", "\t\u00ad\n"]


@pytest.mark.parametrize("blank", INVISIBLE)
@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("text", lambda b: comment("Q1", b)),
        ("restatement_reason", lambda b: figure("Q1", 27, restatement_reason=b)),
        ("reason", lambda b: amend(reason=b, title="New")),
        ("title", lambda b: define("PW2", title=b)),
        ("id", lambda b: figure("Q2", 3) | {"id": b}),
        ("council", lambda b: engagement("2016-08-01", council=b)),
        ("kind", lambda b: engagement("2016-08-01", kind=b)),
        ("milestone", lambda b: milestone(b, "2016-09-30")),
        ("project", lambda b: milestone("M", "2016-09-30", project=b)),
        ("ref", lambda b: risk(b, 3, 3)),
    ],
)
def test_text_that_shows_nothing_is_refused_wherever_blank_is(
    ledger: ReturnsLedger, name: str, command: Any, blank: str
) -> None:
    """Only invisible characters (zero-width space, word joiner, byte order mark, soft
    hyphen) are as blank as spaces: a page would show an empty commentary or reason."""
    execute(ledger, define())
    execute(ledger, figure("Q1", 25))
    execute(ledger, close("Q1", id="close-q1"))
    before = event_count(ledger)
    with pytest.raises(Exception) as refused:  # noqa: PT011 - each names its field below
        execute(ledger, command(blank))
    assert name in str(refused.value) or getattr(refused.value, "field", None) == name
    assert event_count(ledger) == before


def test_a_kind_with_a_bidi_override_is_refused(ledger: ReturnsLedger) -> None:
    execute(ledger, define())
    with pytest.raises(Exception, match="invisible formatting character U\\+202E"):
        execute(ledger, engagement("2016-08-01", kind="peer \u202echallenge"))
    execute(ledger, engagement("2016-08-01", kind="défi entre pairs"))  # letters are fine
