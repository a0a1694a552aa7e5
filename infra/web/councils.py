"""How the pages name a council. An engagement keeps the council as its command gave it
(the register's code, name or an alias, in any spelling the register's canonical form
allows: "City of Bristol", "E06000023"); every page shows the register's name with the code
beside it, found the way the service resolved it (:func:`domain.councils.council_key`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.councils import council_key
from projections.models import CouncilLine
from projections.readers import Readers


@dataclass(frozen=True)
class RegisteredCouncil:
    """A council as a page names it."""

    code: str
    name: str


@dataclass(frozen=True)
class CouncilNames:
    """The register's councils by every canonical key they are known by (code, name,
    aliases), retired councils too: an engagement recorded before a council was retired
    still names it."""

    by_key: dict[str, RegisteredCouncil] = field(default_factory=dict)

    def find(self, text: str | None) -> RegisteredCouncil | None:
        """The registered council ``text`` names, or None (no register, or a name recorded
        before the register was loaded: a page shows it as written)."""
        if not text:
            return None
        return self.by_key.get(council_key(text))


def search_keys(council: CouncilLine) -> str:
    """The canonical keys a council is known by (its name's and aliases'), ``|`` between
    them, for the engagement form's autocomplete (``data-keys``): the register keeps no
    alias that says the name again ("City of Kingston upon Hull" for "Kingston upon Hull,
    City of"), and the key still finds the council by it."""
    keys = dict.fromkeys(council_key(text) for text in (council.name, *council.aliases))
    return "|".join(key for key in keys if key)


def council_names(readers: Readers) -> CouncilNames:
    """The register as the pages name councils from it."""
    by_key: dict[str, RegisteredCouncil] = {}
    for council in readers.councils():
        named = RegisteredCouncil(council.code, council.name)
        for text in (council.code, council.name, *council.aliases):
            by_key.setdefault(council_key(text), named)
    return CouncilNames(by_key)
