"""What text a command may carry: printable characters, tab and newline, within a length.

Every stored string ends up in read models, terminal tables, CSV and XLSX cells and HTTP
bodies. A NUL cannot be stored in a PostgreSQL ``text`` column, a vertical tab makes an XLSX
cell illegal, and a lone surrogate cannot be encoded as UTF-8: each would break every later
read of the return, so they are refused where commands come in.
"""

from __future__ import annotations

import unicodedata

from domain.errors import BadInput

# Characters (code points) longer texts may have: commentary, notes, reasons, titles.
LONG_TEXT = 10_000
# Names, codes, ids and other short fields.
SHORT_TEXT = 500

_ALLOWED_CONTROLS = frozenset("\t\n")
_NAMES = {"\x00": "NUL", "\r": "carriage return", "\x0b": "vertical tab", "\x0c": "form feed"}


def check_text(value: str, *, field: str, max_length: int = LONG_TEXT) -> str:
    """Returns ``value`` unchanged when it may be stored; raises :class:`BadInput` naming
    ``field`` when it holds a control character other than tab and newline (Unicode
    category Cc), a lone surrogate (Cs), or more than ``max_length`` characters."""
    if len(value) > max_length:
        raise BadInput(
            f"is {len(value):,} characters long; at most {max_length:,} are kept", field=field
        )
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
    return value
