"""The fields the seeds need: refused naming the field when malformed, and digests of
commands written before them unchanged (stored receipts keep matching)."""

from __future__ import annotations

from typing import Any

import pytest

from application.commands import (
    AmendTarget,
    DefineTarget,
    ReportProject,
    SetMilestoneStatus,
    parse_command,
)
from domain.errors import BadInput
from domain.rag import Rag

TARGET = {
    "type": "define_target",
    "id": "d1",
    "year": "2016/17",
    "code": "PW1",
    "title": "T",
    "aggregation": "sum",
    "target": 110,
    "lead": "L",
    "board": "B",
}
MILESTONE = {"type": "define_milestone", "id": "m1", "project": "P", "milestone": "M"}
STATUS = {"type": "set_milestone_status", "id": "s1", "project": "P", "milestone": "M"}
PROJECT = {"type": "report_project", "id": "p1", "project": "Layden House"}
RISK = {"type": "assess_risk", "id": "r1", "ref": "SR1", "impact": 4, "likelihood": 3}


def refused_field(payload: dict[str, Any]) -> str | None:
    with pytest.raises(BadInput) as refusal:
        parse_command(payload)
    return refusal.value.field


# Digests of commands as the version before these fields computed them (commit 525ab37).
DIGESTS_BEFORE = [
    (TARGET, "217b4a3a6c7fb1bd7e4c1de6ef318494f5218eb8d8a6dec8c17093c2a7c59f57"),
    (
        {"type": "amend_target", "id": "a1", "year": "2016/17", "code": "PW1"}
        | {"target": 120, "reason": "r"},
        "4e4357edc991b58a275085bc24356d1ebb5095764dfebf6c9fb7b7ea101318e9",
    ),
    (
        RISK | {"title": "t", "owner": "o"},
        "1eb8ea3aa1dd1d20b17ce4899562d6d79ef55b824cacc01daffeae480e5125bf",
    ),
    (
        MILESTONE | {"due": "2016-09-30"},
        "f1357220552f1ecfe59a9746dd37cd86f26f8da1f61c271ef8d05bd484f06dd4",
    ),
    (
        {"type": "revise_milestone", "id": "m2", "project": "P", "milestone": "M"}
        | {"revised_due": "2016-10-30"},
        "f65e2ba4c6e47bf1ae118cd37c5efc3705da5498afd901b1f8cf4f5d45e366f6",
    ),
    (
        {"type": "complete_milestone", "id": "m3", "project": "P", "milestone": "M"}
        | {"completed_on": "2016-10-01"},
        "72b38d4121933dfb446ad489c7112f56cc955c972764fe9449b9e421012aeec6",
    ),
]


@pytest.mark.parametrize(("payload", "digest"), DIGESTS_BEFORE)
def test_commands_written_before_the_new_fields_keep_their_digest(
    payload: dict[str, Any], digest: str
) -> None:
    assert parse_command(payload).digest() == digest


def test_a_new_field_at_its_default_is_the_same_command_and_otherwise_another() -> None:
    plain = parse_command(TARGET).digest()
    assert parse_command(TARGET | {"allow_negative": False, "direction": None}).digest() == plain
    assert parse_command(TARGET | {"direction": "lower_is_better"}).digest() != plain
    assert parse_command(RISK | {"category": "Reputation"}).digest() != parse_command(RISK).digest()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": "upwards"}, "direction"),
        ({"direction": 1}, "direction"),
        ({"threshold": "over"}, "threshold"),
        ({"allow_negative": "yes"}, "allow_negative"),
        ({"allow_negative": None}, "allow_negative"),
    ],
)
def test_malformed_measure_fields_are_named(change: dict[str, Any], field: str) -> None:
    assert refused_field(TARGET | change) == field


def test_measure_fields_are_read_on_define_and_amend() -> None:
    command = parse_command(
        TARGET | {"direction": "lower_is_better", "allow_negative": True, "target": -2}
    )
    assert isinstance(command, DefineTarget)
    assert command.definition_fields()["direction"] == "lower_is_better"
    amend = parse_command(
        {"type": "amend_target", "id": "a", "year": "2016/17", "code": "PW1", "reason": "r"}
        | {"threshold": "above", "direction": None}
    )
    assert isinstance(amend, AmendTarget)
    assert amend.changes() == {"threshold": "above", "direction": None}
    with pytest.raises(BadInput) as refusal:
        parse_command(
            {"type": "amend_target", "id": "a", "year": "2016/17", "code": "PW1", "reason": "r"}
            | {"allow_negative": None}
        )
    assert refusal.value.field == "allow_negative"


@pytest.mark.parametrize(
    ("kind", "field", "text"),
    [
        ("define_milestone", "due", "2016-13"),
        ("define_milestone", "due", "Sep-16"),
        ("revise_milestone", "revised_due", "2016-13"),
        ("complete_milestone", "completed_on", "2016-00"),
        ("complete_milestone", "completed_on", "2016-09-31"),
    ],
)
def test_a_milestone_month_that_is_no_month_is_refused_naming_the_field(
    kind: str, field: str, text: str
) -> None:
    assert refused_field(MILESTONE | {"type": kind, field: text}) == field


@pytest.mark.parametrize("text", ["2016-09", "2015-12-11"])
def test_milestone_dates_may_be_months_or_days(text: str) -> None:
    assert getattr(parse_command(MILESTONE | {"due": text}), "due") == text  # noqa: B009


def test_a_milestone_status_gives_status_rag_or_both() -> None:
    assert refused_field(STATUS) == "status"
    assert refused_field(STATUS | {"rag": "purple"}) == "rag"
    assert refused_field(STATUS | {"status": ""}) == "status"
    command = parse_command(STATUS | {"status": "Part approved", "rag": "Amber"})
    assert isinstance(command, SetMilestoneStatus)
    assert (command.status, command.rag) == ("Part approved", Rag.AMBER)
    cleared = parse_command(STATUS | {"status": None})
    assert cleared.digest() != parse_command(STATUS | {"rag": None}).digest()


def test_a_project_row_names_its_rags_and_takes_a_long_headline() -> None:
    assert refused_field(PROJECT) == "overall"
    assert refused_field(PROJECT | {"budget": "purple"}) == "budget"
    command = parse_command(PROJECT | {"overall": "amber", "headline": "x" * 2000})
    assert isinstance(command, ReportProject)
    assert command.changes() == {"overall": Rag.AMBER, "headline": "x" * 2000}


def test_a_risk_takes_a_category_and_a_long_mitigation() -> None:
    command = parse_command(RISK | {"category": "Reputation", "mitigation": "m" * 2000})
    assert getattr(command, "mitigation") == "m" * 2000  # noqa: B009
    assert refused_field(RISK | {"category": "c" * 501}) == "category"
