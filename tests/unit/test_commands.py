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
        ({"value": -(10**12) - 1}, "value"),  # the sign is the target's to allow; size is not
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


def test_a_digest_worked_out_once_is_never_carried_to_a_changed_copy() -> None:
    command = parse_command(ENGAGEMENT)
    digest = command.digest()
    assert command.digest() == digest
    changed = command.model_copy(update={"count": 2})
    assert changed.digest() == parse_command(ENGAGEMENT | {"count": 2}).digest() != digest
    attributed = command.model_copy(update={"actor": "alice"})
    assert attributed.digest() == digest  # who sent it is not what it says
    assert command == parse_command(ENGAGEMENT)  # the kept digest is not part of equality


def test_whole_floats_are_figures_too() -> None:
    command = parse_command(FIGURE | {"value": 25.0})
    assert isinstance(command, ReportFigure)
    assert command.value == 25


TEXT_FIELDS_OF: dict[str, tuple[dict[str, Any], list[str]]] = {
    "report_figure": (FIGURE, ["id", "code", "actor", "reason", "restatement_reason"]),
    "record_engagement": (ENGAGEMENT, ["council", "kind", "region", "notes", "id"]),
    "comment": (
        {
            "type": "comment",
            "id": "c",
            "year": "2016/17",
            "code": "A",
            "quarter": "Q1",
            "kind": "delivered",
            "text": "fine",
        },
        ["text", "code"],
    ),
    "define_target": (
        {
            "type": "define_target",
            "id": "t",
            "year": "2016/17",
            "code": "A",
            "title": "T",
            "aggregation": "sum",
        },
        ["title", "theme", "unit", "lead", "board", "code"],
    ),
    "assess_risk": (
        {"type": "assess_risk", "id": "r", "ref": "R1", "impact": 2, "likelihood": 2},
        ["ref", "title", "owner"],
    ),
    "define_milestone": (
        {
            "type": "define_milestone",
            "id": "m",
            "project": "P",
            "milestone": "M",
            "due": "2016-09-30",
        },
        ["project", "milestone"],
    ),
}
UNSTORABLE = ["x\x00", "soft\x0bbreak", "a\rb", "\x1b[31mred", "lone \ud800", "bell\x07"]


@pytest.mark.parametrize("kind", sorted(TEXT_FIELDS_OF))
@pytest.mark.parametrize("text", UNSTORABLE)
def test_text_that_cannot_be_stored_everywhere_is_refused_naming_the_field(
    kind: str, text: str
) -> None:
    payload, fields = TEXT_FIELDS_OF[kind]
    for field in fields:
        assert refused_field(payload | {field: text}) == field


@pytest.mark.parametrize("text", ["tab\tand\nnewline", "U+2028 \u2028 is a character", "café ✓"])
def test_tab_newline_and_any_printable_character_are_kept(text: str) -> None:
    command = parse_command(ENGAGEMENT | {"notes": text})
    assert getattr(command, "notes") == text  # noqa: B009


@pytest.mark.parametrize(
    ("key", "field"),
    [("k" * 101, repr("k" * 101)), ("bell\x07", repr("bell\x07")), ("ok", "ok")],
)
def test_a_field_name_is_text_too(key: str, field: str) -> None:
    # An unknown name is refused by the command itself; an unstorable one before that,
    # shown as written (repr), at any depth.
    assert refused_field(ENGAGEMENT | {key: "x"}) == field
    assert refused_field(ENGAGEMENT | {"notes": {key: "x"}}) == (
        f"notes.{field}" if field != "ok" else "notes"
    )


def test_a_dotted_field_name_is_bounded_as_its_last_part() -> None:
    # "x.notes" is no field of an engagement; its text, long as a note may be, is not
    # what is wrong with it.
    with pytest.raises(BadInput, match="not a field") as refused:
        parse_command(ENGAGEMENT | {"x.notes": "a" * 501})
    assert refused.value.field == "x.notes"
    assert refused_field(ENGAGEMENT | {"x.notes": "a" * 10_001}) == "x.notes"


def test_text_is_bounded_in_length() -> None:
    assert refused_field(ENGAGEMENT | {"notes": "x" * 10_001}) == "notes"
    assert refused_field(ENGAGEMENT | {"council": "x" * 501}) == "council"
    assert parse_command(ENGAGEMENT | {"notes": "x" * 10_000})


@pytest.mark.parametrize(
    "value", [1e28, 10**400, 10**13, 0.30000000000000004, 1e-7, float("nan"), float("inf")]
)
def test_figures_are_bounded_in_magnitude_and_decimal_places(value: float) -> None:
    assert refused_field(FIGURE | {"value": value}) == "value"


@pytest.mark.parametrize("value", [10**12, 0.000001, 2.4, 0])
def test_figures_within_the_bounds_are_kept(value: float) -> None:
    command = parse_command(FIGURE | {"value": value})
    assert isinstance(command, ReportFigure)
    assert command.value == value


@pytest.mark.parametrize("count", [10**400, 10**7, -(10**20)])
def test_engagement_counts_are_bounded(count: int) -> None:
    assert refused_field(ENGAGEMENT | {"count": count}) == "count"


def test_a_field_name_that_cannot_be_stored_is_refused() -> None:
    with pytest.raises(BadInput, match="control character"):
        parse_command(ENGAGEMENT | {"x\x00": 1})


def test_the_fast_text_check_refuses_exactly_the_characters_the_slow_one_names() -> None:
    """check_text searches for refused characters at once and walks only a text holding
    one: every code point is refused by the search exactly when the walk refuses it."""
    import unicodedata

    from domain.text import _REFUSED, _is_noncharacter

    for point in range(0x110000):
        character = chr(point)
        category = unicodedata.category(character)
        walked = (
            (category == "Cc" and character not in "\t\n")
            or category == "Cs"
            or _is_noncharacter(point)
        )
        assert walked == (_REFUSED.search(character) is not None), hex(point)
    assert not [c for c in map(chr, range(128)) if unicodedata.category(c) == "Cf"]


DEFINE = {
    "type": "define_target",
    "id": "d1",
    "year": "2016/17",
    "title": "A target",
    "aggregation": "sum",
}


@pytest.mark.parametrize("code", ["SL4/a", "SL4\uff0fa", "/", ".", "..", "..."])
def test_a_code_that_cannot_be_a_web_address_segment_is_refused_naming_it(code: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_command(DEFINE | {"code": code})
    assert refused.value.field == "code"
    assert "web address" in refused.value.message


@pytest.mark.parametrize("ref", ["SR/1", "..", "SR\uff0f1"])
def test_a_risk_ref_that_cannot_be_a_web_address_segment_is_refused_naming_it(ref: str) -> None:
    assess = {"type": "assess_risk", "id": "r1", "ref": ref, "impact": 3, "likelihood": 3}
    with pytest.raises(BadInput) as refused:
        parse_command(assess)
    assert refused.value.field == "ref"


@pytest.mark.parametrize("code", ["1.2a", "A?B", "Q#1", "50%", "a b", ".a", "A\\B"])
def test_other_codes_are_kept(code: str) -> None:
    command = parse_command(DEFINE | {"code": code})
    assert command.code == code.upper()  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["abc", "", "  ", "g" * 64, "a" * 63, "a" * 65, "0x" + "a" * 62])
def test_a_seal_that_is_not_a_digest_is_refused_naming_seal(text: str) -> None:
    from domain.hash_chain import parse_digest

    with pytest.raises(BadInput) as refused:
        parse_digest(text)
    assert refused.value.field == "seal"


def test_a_seal_is_read_trimmed_and_in_lower_case() -> None:
    from domain.hash_chain import parse_digest

    assert parse_digest(f"  {'AB' * 32}\n") == "ab" * 32


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"count": 0}, "count", "must be 1 or more, not 0"),
        ({"count": "abc"}, "count", "must be a whole number, not 'abc'"),
        ({"count": 2.5}, "count", "must be a whole number, not 2.5"),
        ({"count": True}, "count", "must be a whole number, not true"),
        ({"id": ""}, "id", "must not be empty"),
        ({"id": 5}, "id", "must be text, not 5"),
        (
            {"notes": ["x" * 100]},
            "notes",
            'must be text, not ["' + "x" * 38 + "...",  # quoted to 40 characters
        ),
    ],
)
def test_a_refusal_says_in_plain_words_what_the_value_must_be_and_what_it_was(
    extra: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(BadInput) as refused:
        parse_command(ENGAGEMENT | extra)
    assert (refused.value.field, refused.value.message) == (field, message)
