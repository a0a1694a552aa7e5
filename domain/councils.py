"""The register of councils that engagements are recorded against.

A council is known by its ONS GSS code (``E06000052``), has a name, a type and a region, may
have aliases (the names people write: "Cornwall Council"), is a council from a date and may
be retired on a date (succeeded by another). Attributes that vary over time, such as
political control, are recorded from a date. Councils are compared by
:func:`council_key`, one canonical form of their names, so "Bristol City Council",
"City of Bristol" and "Bristol, City of" name one council.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from typing import Any

from domain.errors import BadInput, Conflict
from domain.identity import derived_id
from domain.provenance import Provenance, RecordedAggregate
from domain.text import SHORT_TEXT, check_text, shows_something

REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
STANDARD_TYPES = ("county", "district", "london_borough", "metropolitan_district", "unitary")
_GSS_CODE = re.compile(r"^[ENSW]\d{8}$")
_TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,49}$")

_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "borough of ",
    "council of the ",
    "city of ",
    "county of ",
    "county ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " borough council",
    " district council",
    " county council",
    " city council",
    " council",
    " corporation",
)
_NOT_WORDS = re.compile(r"[^\w\s,]")


@functools.lru_cache(maxsize=4096)  # every engagement names a council, and few are named
def council_key(text: str) -> str:
    """The canonical form councils are compared in: case, spacing and punctuation ignored,
    ``&`` read as ``and``, ``X, City of`` read as ``City of X``, and the words that say what
    kind of council it is (``London Borough of``, ``County Council`` ...) left out.

    ``"Bristol, City of"``, ``"Bristol City Council"`` and ``" bristol "`` -> ``"bristol"``.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    text = _NOT_WORDS.sub(" ", text)
    head, comma, tail = text.partition(",")
    if comma:
        text = f"{tail} {head}"
    text = " ".join(text.replace(",", " ").split())
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text.removeprefix(prefix), True
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text.removesuffix(suffix), True
    return text


def check_code(code: str, *, field: str = "code") -> str:
    """An ONS GSS code: a country letter and eight digits (``E06000052``); upper-cased."""
    code = code.strip().upper()
    if not _GSS_CODE.match(code):
        raise BadInput(
            f"{code!r} is not an ONS GSS code (a letter and eight digits, e.g. E06000052)",
            field=field,
        )
    return code


def check_region(region: str) -> str:
    """One of the nine English regions by its ONS name (case and spacing forgiven)."""
    for known in REGIONS:
        if " ".join(region.split()).casefold() == known.casefold():
            return known
    raise BadInput(
        f"{region!r} is not an English region; use one of {', '.join(REGIONS)}", field="region"
    )


def check_type_name(name: str, *, field: str = "council_type") -> str:
    """A council type's name: lower case words joined by ``_`` (``fire_authority``)."""
    if not _TYPE_NAME.match(name):
        raise BadInput(
            f"{name!r} is not a council type name (lower case words joined by _, "
            "e.g. fire_authority)",
            field=field,
        )
    return name


class Council(RecordedAggregate):
    """One council of the register; its id derives from its code."""

    class Registered(RecordedAggregate.Created):
        class_version = 1

        code: str
        name: str
        council_type: str
        region: str
        aliases: list[str]
        valid_from: str | None

    class Retired(RecordedAggregate.Event):
        class_version = 1

        code: str
        on: str
        succeeded_by: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.retired_on = date.fromisoformat(self.on)
            aggregate.succeeded_by = self.succeeded_by

    class AttributeRecorded(RecordedAggregate.Event):
        """A value that holds from a date, such as political control."""

        class_version = 1

        code: str
        attribute: str
        value: str
        valid_from: str

    def __init__(
        self,
        code: str,
        name: str,
        council_type: str,
        region: str,
        aliases: list[str],
        valid_from: str | None,
    ) -> None:
        self.code = code
        self.name = name
        self.council_type = council_type
        self.region = region
        self.aliases = aliases
        self.valid_from = date.fromisoformat(valid_from) if valid_from else None
        self.retired_on: date | None = None
        self.succeeded_by: str | None = None

    @classmethod
    def register(
        cls,
        code: str,
        name: str,
        council_type: str,
        region: str,
        provenance: Provenance,
        *,
        aliases: list[str] | None = None,
        valid_from: date | None = None,
    ) -> Council:
        code = check_code(code)
        if not council_key(name):
            raise BadInput("must name the council", field="name")
        check_text(name, field="name", max_length=SHORT_TEXT)
        kept = [a for a in dict.fromkeys(aliases or []) if council_key(a) != council_key(name)]
        for alias in kept:
            if not council_key(alias):
                raise BadInput(f"{alias!r} names no council", field="aliases")
        return cls._create(
            cls.Registered,
            id=council_id(code),
            code=code,
            name=name,
            council_type=check_type_name(council_type),
            region=check_region(region),
            aliases=kept,
            valid_from=valid_from.isoformat() if valid_from else None,
            **provenance.event_fields(),
        )

    def same_as(self, name: str, council_type: str, region: str, aliases: list[str]) -> bool:
        """Whether registering again with these values would change nothing."""
        kept = [a for a in dict.fromkeys(aliases) if council_key(a) != council_key(name)]
        return (name, council_type, check_region(region), kept) == (
            self.name,
            self.council_type,
            self.region,
            self.aliases,
        )

    def retire(self, on: date, provenance: Provenance, *, succeeded_by: str | None = None) -> None:
        if self.retired_on is not None:
            raise Conflict(
                f"{self.name} ({self.code}) was already retired on {self.retired_on}",
                field="code",
            )
        if self.valid_from is not None and on <= self.valid_from:
            raise BadInput(f"{self.name} is a council only from {self.valid_from}", field="on")
        self.trigger_event(
            self.Retired,
            code=self.code,
            on=on.isoformat(),
            succeeded_by=succeeded_by,
            **provenance.event_fields(),
        )

    def record_attribute(
        self, attribute: str, value: str, valid_from: date, provenance: Provenance
    ) -> None:
        check_type_name(attribute, field="attribute")
        if not shows_something(value):
            raise BadInput("must not be empty", field="value")
        self.trigger_event(
            self.AttributeRecorded,
            code=self.code,
            attribute=attribute,
            value=value,
            valid_from=valid_from.isoformat(),
            **provenance.event_fields(),
        )

    def check_serving(self, on: date, *, field: str = "council") -> None:
        """Refuses an engagement dated when this council was not (yet, or any more) one."""
        if self.valid_from is not None and on < self.valid_from:
            raise BadInput(
                f"{self.name} ({self.code}) is a council only from {self.valid_from}; not on {on}",
                field=field,
            )
        if self.retired_on is not None and on >= self.retired_on:
            after = f", succeeded by {self.succeeded_by}" if self.succeeded_by else ""
            raise BadInput(
                f"{self.name} ({self.code}) was retired on {self.retired_on}{after}; "
                f"not a council on {on}",
                field=field,
            )


class CouncilName(RecordedAggregate):
    """Finds a council by any of its names, codes or aliases in canonical form (one
    aggregate per name, so a look-up is one load and two councils cannot share a name)."""

    class Claimed(RecordedAggregate.Created):
        class_version = 1

        key: str
        code: str

    def __init__(self, key: str, code: str) -> None:
        self.key = key
        self.code = code

    @classmethod
    def claim(cls, key: str, code: str, provenance: Provenance) -> CouncilName:
        return cls._create(
            cls.Claimed, id=council_name_id(key), key=key, code=code, **provenance.event_fields()
        )


class CouncilDirectory(RecordedAggregate):
    """The register as a whole: whether it holds any council, its types beyond the standard
    five, and every council's name (to suggest the nearest to an unknown one)."""

    class Opened(RecordedAggregate.Created):
        class_version = 1

    class Listed(RecordedAggregate.Event):
        class_version = 1

        code: str
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.names[self.code] = self.name

    class TypeDefined(RecordedAggregate.Event):
        class_version = 1

        council_type: str
        label: str

        def apply(self, aggregate: Any) -> None:
            aggregate.types[self.council_type] = self.label

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.types: dict[str, str] = {}

    @classmethod
    def open(cls, provenance: Provenance) -> CouncilDirectory:
        return cls._create(cls.Opened, id=DIRECTORY_ID, **provenance.event_fields())

    def list_council(self, code: str, name: str, provenance: Provenance) -> None:
        self.trigger_event(self.Listed, code=code, name=name, **provenance.event_fields())

    def define_type(self, council_type: str, label: str, provenance: Provenance) -> None:
        council_type = check_type_name(council_type)
        if council_type in STANDARD_TYPES or self.types.get(council_type) == label:
            return
        self.trigger_event(
            self.TypeDefined, council_type=council_type, label=label, **provenance.event_fields()
        )

    def check_type(self, council_type: str) -> str:
        """A standard type, or one this organisation defined; BadInput naming the field."""
        check_type_name(council_type)
        if council_type in STANDARD_TYPES or council_type in self.types:
            return council_type
        known = ", ".join([*STANDARD_TYPES, *sorted(self.types)])
        raise BadInput(
            f"{council_type!r} is not a council type; use one of {known}, or define it "
            "first with define_council_type",
            field="council_type",
        )


@functools.lru_cache(maxsize=4096)  # looked up for every engagement; ids never change
def council_id(code: str) -> Any:
    return derived_id("council", code)


@functools.lru_cache(maxsize=4096)
def council_name_id(key: str) -> Any:
    return derived_id("council-name", key)


DIRECTORY_ID = derived_id("council-directory")
