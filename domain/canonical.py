"""The one canonical form in which codes, names and refs are compared.

Two spellings of the same thing must name one target, one milestone, one risk: ``"ZX1 "`` and
``"zx1"`` are the code ``ZX1``. The form is applied where commands come in, so ids, events and
read models only ever see it.

- names (project, milestone): Unicode NFKC (compatibility characters such as a non-breaking
  space or a full-width letter become their plain form), leading and trailing whitespace
  removed, every run of whitespace inside one space. Case is kept.
- codes (target codes, risk refs): the name form, upper-cased: codes are case-insensitive.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def canonical_name(text: str) -> str:
    """``"  LG Inform\u00a0Plus  "`` -> ``"LG Inform Plus"``."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def canonical_code(text: str) -> str:
    """``" zx1 "`` -> ``"ZX1"``; ``"sl 4"`` -> ``"SL 4"``."""
    return canonical_name(text).upper()
