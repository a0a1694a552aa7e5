"""Bad input: every malformed field is refused with a message naming it."""

from __future__ import annotations

from typing import Any

import pytest

from application.commands import ReportFigure, parse_command
from domain.errors import BadInput

FIGURE = {
    "type": "report_figure",
    "id": "c1",
    "year": "2016/17",
    "code": "PW1",
    "quarter": "Q1",
    "value": 25,
}
ENGAGEMENT = {
    "type": "record_engagement",
    "id": "e1",
    "year": "2016/17",
    "code": "PW1",
    "date": "2016-05-01",
    "council": "Kent County Council",
}


def refused_field(payload: Any) -> str | None:
    with pytest.raises(BadInput) as refusal:
        parse_command(payload)
    return refusal.value.field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": "2016/18"}, "year"),
        ({"year": "16/17"}, "year"),
        ({"year": 2016}, "year"),
        ({"quarter": "Q5"}, "quarter"),
        ({"value": -1}, "value"),
        ({"value": "25"}, "value"),
        ({"value": True}, "value"),
        ({"value": None}, "value"),
        ({"code": ""}, "code"),
        ({"id": ""}, "id"),
        ({"id": 7}, "id"),
        ({"colour": "red"}, "colour"),
        ({"actor": 5}, "actor"),
    ],
)
def test_malformed_figure_fields_are_named(change: dict[str, Any], field: str) -> None:
    assert refused_field(FIGURE | change) == field


@pytest.mark.parametrize("missing", ["id", "year", "code", "quarter", "value"])
def test_missing_fields_are_named(missing: str) -> None:
    payload = {k: v for k, v in FIGURE.items() if k != missing}
    with pytest.raises(BadInput, match="required") as refusal:
        parse_command(payload)
    assert refusal.value.field == missing


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2016-13-01"}, "date"),
        ({"date": "01/05/2016"}, "date"),
        ({"date": "20160501"}, "date"),
        ({"count": 0}, "count"),
        ({"count": 1.5}, "count"),
        ({"council": ""}, "council"),
    ],
)
def test_malformed_engagement_fields_are_named(change: dict[str, Any], field: str) -> None:
    assert refused_field(ENGAGEMENT | change) == field


def test_unknown_or_missing_type_is_named() -> None:
    assert refused_field({"type": "delete_everything", "id": "x"}) == "type"
    assert refused_field({"id": "x"}) == "type"
    not_names: list[object] = [{}, [], 3, True]
    for not_a_name in not_names:
        assert refused_field({"type": not_a_name, "id": "x"}) == "type"


def test_a_command_must_be_an_object() -> None:
    with pytest.raises(BadInput, match="JSON object"):
        parse_command([1, 2])


@pytest.mark.parametrize(("field", "value"), [("impact", 0), ("impact", 6), ("likelihood", 7)])
def test_risk_ratings_outside_one_to_five_are_named(field: str, value: int) -> None:
    risk = {"type": "assess_risk", "id": "r1", "ref": "R1", "impact": 3, "likelihood": 3}
    assert refused_field(risk | {field: value}) == field


def test_rag_and_commentary_kind_are_checked() -> None:
    rag = {"type": "set_rag", "id": "r", "year": "2016/17", "code": "A", "quarter": "Q1"}
    assert refused_field(rag | {"rag": "purple"}) == "rag"
    comment = {
        "type": "comment",
        "id": "c",
        "year": "2016/17",
        "code": "A",
        "quarter": "Q1",
        "text": "x",
    }
    assert refused_field(comment | {"kind": "gossip"}) == "kind"


def test_the_digest_ignores_who_sent_it_and_defaults() -> None:
    one = parse_command(ENGAGEMENT | {"actor": "alice"})
    two = parse_command(ENGAGEMENT | {"actor": "bob", "count": 1})
    assert one.digest() == two.digest()
    assert one.digest() != parse_command(ENGAGEMENT | {"count": 2}).digest()


def test_whole_floats_are_figures_too() -> None:
    command = parse_command(FIGURE | {"value": 25.0})
    assert isinstance(command, ReportFigure)
    assert command.value == 25
