"""The strict JSON decoder: every way raw text can fail is a refusal naming where."""

from __future__ import annotations

import json

import pytest

from application.command_json import MAX_DEPTH, decode_command
from application.commands import RecordEngagement, ReportFigure
from domain.errors import BadInput

FIGURE = (
    '{"type": "report_figure", "id": "c1", "year": "2016/17", "code": "PW1", '
    '"quarter": "Q1", "value": %s}'
)


def refusal(body: bytes | str) -> BadInput:
    with pytest.raises(BadInput) as refused:
        decode_command(body)
    return refused.value


def test_a_valid_command_is_decoded_from_text_or_utf8_bytes() -> None:
    text = FIGURE % "25.5"
    assert decode_command(text) == ReportFigure.model_validate(json.loads(text))
    engagement = (
        '{"type": "record_engagement", "id": "é1", "year": "2016/17", "code": "PW1", '
        '"date": "2016-05-01", "council": "Ynys Môn"}'
    )
    decoded = decode_command(engagement.encode("utf-8"))
    assert isinstance(decoded, RecordEngagement)
    assert (decoded.id, decoded.council) == ("é1", "Ynys Môn")


def test_a_leading_byte_order_mark_is_ignored() -> None:
    assert decode_command(b"\xef\xbb\xbf" + (FIGURE % "3").encode()).id == "c1"


def test_bytes_that_are_not_utf8_are_refused_with_their_offset() -> None:
    body = (FIGURE % "3").encode().replace(b"PW1", b"PW\xff")
    refused = refusal(body)
    assert refused.field == "body"
    offset = body.index(b"\xff")
    assert refused.message == f"the body is not valid UTF-8 (at byte {offset})"
    assert refusal(b"\xc3").message == "the body is not valid UTF-8 (at byte 0)"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_naming_the_field(constant: str) -> None:
    refused = refusal(FIGURE % constant)
    assert refused.field == "value"
    assert constant in refused.message


def test_huge_integers_are_refused_without_reaching_pythons_digit_limit() -> None:
    refused = refusal(FIGURE % ("1" * 5000))
    assert refused.field == "value"
    assert "5000 digits" in refused.message
    assert refusal(FIGURE % ("-" + "9" * 31)).field == "value"
    # 30 digits pass the decoder; the command's own bounds (parse_command) refuse them.
    thirty = refusal((FIGURE % "3")[:-1] + f', "extra": -{"9" * 30}}}')
    assert thirty.field == "extra"
    assert "at most 10**15" in thirty.message


@pytest.mark.parametrize("number", ["1e999", "-1e400", "1" * 400 + ".0"])
def test_floats_that_overflow_are_refused_naming_the_field(number: str) -> None:
    refused = refusal(FIGURE % number)
    assert refused.field == "value"
    assert "beyond the range" in refused.message


def test_problems_in_nested_values_name_their_path() -> None:
    body = '{"type": "report_figure", "notes": {"counts": [1, 2, NaN]}}'
    assert refusal(body).field == "notes.counts.2"


def test_a_key_given_twice_is_refused_naming_it() -> None:
    body = (FIGURE % "3")[:-1] + ', "value": 4}'
    refused = refusal(body)
    assert refused.field == "value"
    assert "more than once" in refused.message
    assert refusal('{"a": {"b": 1, "b": 2}}').field == "a.b"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 3000, 100_000])
def test_deep_nesting_is_refused_as_the_body(levels: int) -> None:
    for body in ("[" * levels + "]" * levels, '{"a": ' * levels + "1" + "}" * levels):
        refused = refusal(body)
        assert refused.field == "body"
        assert "deeper than" in refused.message


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    notes = "[" * 100 + '\\"{' * 100
    body = (FIGURE % "3")[:-1] + f', "reason": "{notes}"}}'
    assert decode_command(body).reason == "[" * 100 + '"{' * 100


def test_unbalanced_brackets_are_a_syntax_error_not_a_crash() -> None:
    assert refusal("]" * 50 + "[" * 10).field == "body"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("", "line 1, column 1"),
        ('{"type": "report_figure",\n "id": }', "line 2, column 8"),
        ("{'type': 'x'}", "line 1, column 2"),
        ('{"a": 1} {"b": 2}', "line 1, column 10"),
        ('{"a": "tab\there"}', "line 1, column 11"),
    ],
)
def test_other_syntax_errors_give_line_and_column(body: str, where: str) -> None:
    refused = refusal(body)
    assert refused.field == "body"
    assert refused.message.startswith("is not valid JSON: ")
    assert refused.message.endswith(f"({where})")


@pytest.mark.parametrize(
    ("body", "kind"),
    [("[]", "an array"), ('"x"', "a string"), ("3", "a number"), ("null", "null")],
)
def test_a_document_that_is_not_an_object_is_refused(body: str, kind: str) -> None:
    refused = refusal(body)
    assert (refused.field, refused.message) == ("body", f"a command is a JSON object, not {kind}")


def test_unpaired_surrogates_are_refused_naming_the_field() -> None:
    body = (FIGURE % "3").replace('"c1"', '"c\\ud800"')
    assert refusal(body).field == "id"
    refused = refusal('{"type": "report_figure", "\\udc00": 1}')
    assert (refused.field, "surrogate" in refused.message) == ("body", True)
    paired = (FIGURE % "3").replace('"c1"', '"c\\ud83d\\ude00"')
    assert decode_command(paired).id == "c😀"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"type": "x", "a": {"b": ["ok", "\\uDBFF"]}}', "a.b.1"),  # escaped, upper case
        ('{"type": "x", "a": {"b": ["ok", "\udbff"]}}', "a.b.1"),  # the character itself
        ('{"type": "x", "a": [1, {"c": 1e400}]}', "a.1.c"),
        ('{"type": "x", "a": [{"k": 1, "k": 2}]}', "a.0.k"),
    ],
)
def test_a_problem_deep_in_the_document_is_refused_where_it_stands(body: str, field: str) -> None:
    # Decoding notes whether anything needs the walk that names the place; it must not miss.
    assert refusal(body).field == field


def test_the_command_itself_is_then_checked_by_parse_command() -> None:
    assert refusal((FIGURE % "3").replace('"Q1"', '"Q5"')).field == "quarter"
    assert refusal('{"type": "explode", "id": "x"}').field == "type"


@pytest.mark.parametrize(
    "body",
    [b"\x00", b"{\x00}", '{"id": "\x00"}', b"\xed\xa0\x80", "\ud800", '{"a": 1e-999999}', b"{" * 9],
)
def test_odd_inputs_only_ever_raise_bad_input(body: bytes | str) -> None:
    refusal(body)
