"""What text a command may carry: printable characters, tab and newline, within a length.

Every stored string ends up in read models, terminal tables, CSV and XLSX cells and HTTP
bodies. A NUL cannot be stored in a PostgreSQL ``text`` column, a vertical tab makes an XLSX
cell illegal, and a lone surrogate cannot be encoded as UTF-8: each would break every later
read of the return, so they are refused where commands come in.
"""

from __future__ import annotations

import json
import re
import unicodedata

from domain.errors import BadInput

# Characters (code points) longer texts may have: commentary, notes, reasons, titles.
LONG_TEXT = 10_000
# Names, codes, ids and other short fields.
SHORT_TEXT = 500

_ALLOWED_CONTROLS = frozenset("\t\n")
_NAMES = {"\x00": "NUL", "\r": "carriage return", "\x0b": "vertical tab", "\x0c": "form feed"}
# Any character check_text refuses: the controls (category Cc) but tab and newline, the
# surrogates (Cs) and the noncharacters. One search finds that a text is fine (most are);
# only a text holding one is walked character by character, to say which and where.
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def is_storable_text(value: str, max_length: int = LONG_TEXT) -> bool:
    """Whether :func:`check_text` accepts ``value``, without making a message: the check
    every string of every command passes, so it is kept to a length and one search."""
    return len(value) <= max_length and _REFUSED.search(value) is None


def check_text(value: str, *, field: str, max_length: int = LONG_TEXT) -> str:
    """Returns ``value`` unchanged when it may be stored; raises :class:`BadInput` naming
    ``field`` when it holds a control character other than tab and newline (Unicode
    category Cc), a lone surrogate (Cs), or more than ``max_length`` characters."""
    if len(value) > max_length:
        raise BadInput(
            f"is {len(value):,} characters long; it may have at most {max_length:,}", field=field
        )
    if _REFUSED.search(value) is None:
        return value
    for offset, character in enumerate(value):
        category = unicodedata.category(character)
        if category == "Cc" and character not in _ALLOWED_CONTROLS:
            raise BadInput(
                f"contains the control character U+{ord(character):04X}"
                f"{' (' + _NAMES[character] + ')' if character in _NAMES else ''} at "
                f"character {offset + 1}; text may hold tab and newline but no other "
                "control characters",
                field=field,
            )
        if category == "Cs":
            raise BadInput(
                f"contains a lone surrogate U+{ord(character):04X} at character "
                f"{offset + 1}, which is not a character",
                field=field,
            )
        if _is_noncharacter(ord(character)):
            raise BadInput(
                f"contains U+{ord(character):04X} at character {offset + 1}, which Unicode "
                "reserves as a noncharacter (XML, and so XLSX, cannot hold it)",
                field=field,
            )
    return value


def check_identifier(value: str, *, field: str) -> str:
    """A code, name or ref: :func:`check_text` and no invisible formatting characters
    (category Cf: zero-width spaces, soft hyphens, byte order marks, bidi overrides), which
    would make two different values look the same."""
    check_text(value, field=field, max_length=SHORT_TEXT)
    if value.isascii():
        return value  # no ASCII character is in category Cf
    for offset, character in enumerate(value):
        if unicodedata.category(character) == "Cf":
            raise BadInput(
                f"contains the invisible formatting character U+{ord(character):04X} at "
                f"character {offset + 1}; codes and names are plain text",
                field=field,
            )
    return value


def shows_something(value: str) -> bool:
    """Whether the text has a visible character (not only spaces and formatting marks)."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in value)


def _is_noncharacter(point: int) -> bool:
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def quoted(value: object, limit: int = 40) -> str:
    """How a message quotes a value someone sent: text in quotes (``'abc'``, escapes
    shown), anything else as JSON (``5``, ``true``, ``["x"]``); cut after ``limit``
    characters with ``...``."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "..."
