"""The one way raw JSON text becomes a command: the body of ``POST /api/v1/commands`` (and,
later, a line of a JSONL import).

``json.loads`` accepts more than a command may hold, and fails in ways that are not a
refusal: ``NaN`` and ``Infinity``, integers of any length (and then Python's own
int-string limit), floats that overflow to ``inf``, duplicate keys (the last one silently
wins), unpaired surrogate escapes that later fail to encode, and ``RecursionError`` on deep
nesting. Here every one of those is a :class:`~domain.errors.BadInput` naming the field (or
``body``), before :func:`application.commands.parse_command` checks the command itself.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from application.commands import BaseCommand, parse_command
from domain.errors import BadInput

# A command is one flat object; a few levels leave room for list and object fields.
MAX_DEPTH = 32
# Far beyond any figure, count or rating, and far below Python's int-string limit (4,300).
MAX_INTEGER_DIGITS = 30

_STRUCTURE = re.compile(r'["\\\[\]{}]')
_SURROGATE = re.compile("[\ud800-\udfff]")
# Text that may decode to a lone surrogate: one itself, or an escape of one (a pair of
# escapes, an emoji, matches too; the walk then finds nothing wrong).
_MAY_HOLD_SURROGATE = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")
_JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


class _Refusal:
    """Stands in the decoded document for a value a command may not hold; the walk after
    decoding turns the first one into a refusal naming where it stood."""

    __slots__ = ("key", "message")

    def __init__(self, message: str, key: str | None = None) -> None:
        self.message = message
        self.key = key  # the key of an object that holds it twice


def decode_command(body: bytes | str) -> BaseCommand:
    """A validated command from the raw JSON text of one command.

    ``body`` is the text, or bytes in UTF-8 (a leading byte order mark is ignored). It must
    be one JSON object (RFC 8259) whose numbers are finite, whose integers have at most 30
    digits, whose keys appear once per object, whose strings are valid Unicode, and which
    nests at most 32 levels deep; then :func:`~application.commands.parse_command` checks it
    as a command.

    Raises :class:`~domain.errors.BadInput`, never anything else, with ``field``:

    - ``body`` for bytes that are not UTF-8 ("the body is not valid UTF-8 (at byte N)"),
      text that is not JSON (the message gives line and column), nesting deeper than 32
      levels, or a document that is not an object;
    - the path of the offending value (``value``, ``summary.total``, ``missing.0``) for
      ``NaN``/``Infinity``, an integer of more than 30 digits, a float beyond the range of a
      double, or a string with an unpaired surrogate (``"\\ud800"``);
    - the path of the key itself for a key that appears twice in one object;
    - whatever ``parse_command`` names for a command that is not valid.
    """
    text = _text(body)
    if _nests_deeper_than(text, MAX_DEPTH):
        raise _too_deep()
    refusals: list[_Refusal] = []

    def noted(value: Any) -> Any:
        if isinstance(value, _Refusal):
            refusals.append(value)
        return value

    decoder = json.JSONDecoder(
        object_pairs_hook=lambda pairs: noted(_object(pairs)),
        parse_int=lambda number: noted(_integer(number)),
        parse_float=lambda number: noted(_float(number)),
        parse_constant=lambda name: noted(_constant(name)),
    )
    try:
        document = decoder.decode(text)
    except json.JSONDecodeError as error:
        problem = error.msg.removesuffix(" at")
        raise BadInput(
            f"is not valid JSON: {problem} (line {error.lineno}, column {error.colno})",
            field="body",
        ) from None
    except RecursionError:  # the depth check above should have caught it; never a 500
        raise _too_deep() from None
    if refusals or _MAY_HOLD_SURROGATE.search(text):
        _refuse_first_problem(document, ())  # the walk that names where, in document order
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), type(document).__name__)
        raise BadInput(f"a command is a JSON object, not {kind}", field="body")
    return parse_command(document)


def _text(body: bytes | str) -> str:
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8", errors="strict")
        except UnicodeDecodeError as error:
            raise BadInput(
                f"the body is not valid UTF-8 (at byte {error.start})", field="body"
            ) from None
    # RFC 8259 lets a parser ignore a byte order mark; spreadsheets and editors add one.
    return body.removeprefix("\ufeff")


def _too_deep() -> BadInput:
    return BadInput(
        f"nests deeper than {MAX_DEPTH} levels; a command is one flat JSON object", field="body"
    )


def _nests_deeper_than(text: str, limit: int) -> bool:
    """One pass over the brackets outside strings, so the decoder never recurses deeply."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the common case: too few brackets to nest that deep
    depth = 0
    in_string = False
    skip_until = -1
    for match in _STRUCTURE.finditer(text):
        position = match.start()
        if position < skip_until:
            continue  # the character after a backslash
        char = match.group()
        if in_string:
            if char == "\\":
                skip_until = position + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Refusal:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            return _Refusal("appears more than once in one object; give each field once", key=key)
        found[key] = value
    return found


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def parse_number(text: str) -> int | float:
    """A number written as a command's JSON writes it (ASCII digits, ``12``, ``-3.5``,
    ``1e3``), held exactly as a command decoded from JSON holds it: a form's number field
    is read by the same rules as an API body. Raises ``BadInput`` (naming no field: the
    caller names it) for any other text, or a number a command may not hold."""
    if not _JSON_NUMBER.fullmatch(text):
        raise BadInput(f"{_shortened(text)!r} is not a number (write it as 12 or 3.5)")
    whole = not any(mark in text for mark in ".eE")
    value = _integer(text) if whole else _float(text)
    if isinstance(value, _Refusal):
        raise BadInput(value.message)
    return value


def _integer(text: str) -> int | _Refusal:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        return _Refusal(
            f"is an integer of {digits} digits; a command's integers have at most "
            f"{MAX_INTEGER_DIGITS}"
        )
    return int(text)


def _float(text: str) -> float | _Refusal:
    value = float(text)
    if not math.isfinite(value):
        return _Refusal(f"{_shortened(text)} is beyond the range of numbers a command may hold")
    if len(text) > MAX_INTEGER_DIGITS + 10 or Decimal(repr(value)) != Decimal(text):
        # Stored as written or not at all: 999999999999.999999 would become 10**12.
        return _Refusal(
            f"{_shortened(text)} has more digits than a figure keeps; write at most "
            "15 significant digits"
        )
    return value


def _constant(name: str) -> _Refusal:
    return _Refusal(f"{name} is not a number a command may hold (JSON has no {name})")


def _refuse_first_problem(value: object, path: tuple[str, ...]) -> None:
    """Raises for the first stand-in or unpaired surrogate, in document order."""
    if isinstance(value, _Refusal):
        where = (*path, _field_name(value.key)) if value.key is not None else path
        raise BadInput(value.message, field=".".join(where) or "body")
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise BadInput(
                "holds an unpaired surrogate escape (like \\ud800); text must be valid Unicode",
                field=".".join(path) or "body",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                raise BadInput(
                    "a key holds an unpaired surrogate escape (like \\ud800); "
                    "text must be valid Unicode",
                    field=".".join(path) or "body",
                )
            _refuse_first_problem(item, (*path, _field_name(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_first_problem(item, (*path, str(index)))


def _field_name(key: str) -> str:
    """A key as a field name in a message: printable, and short enough to read."""
    return _shortened(key if key.isprintable() else ascii(key))


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
