"""An export edited by hand is refused at its line, naming the field that is missing or of
the wrong kind, before anything is stored (``check_export``, which ``restore`` runs first)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from application.event_export import check_export, export_lines
from domain.errors import Conflict
from infra.store import Store
from tests.builders import define, engagement
from tests.integration.helpers import execute_all

Edit = Callable[[dict[str, Any]], None]


def _export(store: Store) -> list[str]:
    execute_all(store, [define(), engagement("2016-05-01", council="Kent")])
    return list(export_lines(store.chain))


def _set(name: str, value: object) -> Edit:
    return lambda item: item.__setitem__(name, value)


EVENT_EDITS: dict[str, tuple[Edit, str]] = {
    "position-text": (_set("position", "x"), "'position' must be a whole number"),
    "version-text": (_set("originator_version", "1"), "'originator_version' must be a whole"),
    "version-fraction": (_set("originator_version", 1.0), "'originator_version' must be a whole"),
    "topic-number": (_set("topic", 7), "'topic' must be text"),
    "state-not-base64": (_set("state", "***"), "'state' is not base64"),
    "id-not-uuid": (_set("originator_id", "kent"), "'originator_id' is not a UUID"),
    "digest-missing": (lambda item: item.pop("digest"), "no 'digest'"),
    "state-missing": (lambda item: item.pop("state"), "no 'state'"),
    "position-negative": (_set("position", -1), "'position' must be from 1"),
    "position-huge": (_set("position", 10**30), "'position' must be from 1"),
    "position-not-rising": (_set("position", 1), "'position' 1 does not come after"),
    "extra-field": (_set("extra", "x"), "'extra' is not a field of an exported event"),
    "state-unpadded": (
        lambda item: item.__setitem__("state", item["state"].rstrip("=") or "x"),
        "'state' is not base64 as exported",
    ),
    "id-upper-case": (
        lambda item: item.__setitem__("originator_id", item["originator_id"].upper()),
        "'originator_id' is not a UUID as exported",
    ),
}


@pytest.mark.parametrize(("edit", "named"), EVENT_EDITS.values(), ids=list(EVENT_EDITS))
def test_an_edited_event_line_is_refused_naming_its_field(
    store: Store, edit: Edit, named: str
) -> None:
    lines = _export(store)
    assert json.loads(lines[2])["state"].endswith("="), "an event whose base64 is padded"
    item = json.loads(lines[2])
    edit(item)
    lines[2] = json.dumps(item) + "\n"
    with pytest.raises(Conflict, match=r"line 3: not an exported event: ") as refused:
        check_export(lambda: iter(lines))
    assert refused.value.message.startswith(("line 1: ", "line 3: "))
    assert named in refused.value.message


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ({"version": 2}, "export version 2 is not one"),
        ({"version": "1"}, "export version '1' is not one"),
        ({"head": "abc"}, "'head'"),
        ({"head": 5}, "'head' must be a digest"),
    ],
)
def test_a_header_of_another_version_or_without_a_digest_is_refused(
    store: Store, header: dict[str, Any], named: str
) -> None:
    lines = _export(store)
    lines[0] = json.dumps(json.loads(lines[0]) | header) + "\n"
    with pytest.raises(Conflict, match=r"line 1: ") as refused:
        check_export(lambda: iter(lines))
    assert refused.value.message.startswith(("line 1: ", "line 3: "))
    assert named in refused.value.message


def test_an_untouched_export_is_proved(store: Store) -> None:
    lines = _export(store)
    assert check_export(lambda: iter(lines)) == len(lines) - 1
