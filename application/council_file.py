"""A register of councils as a CSV file: the shipped one, or an organisation's own.

Columns: ``code``, ``name``, ``type``, ``region``, and optionally ``aliases`` (separated by
``|``) and ``from`` (the date it became a council). Lines starting with ``#`` are comments
(the shipped file names its source there). Each row becomes a ``register_council`` command
whose id is ``register-council:<code>``, so loading a file twice stores nothing the second
time and a row that changed is refused as a conflict.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from application.jsonl_import import ImportResult, import_lines
from application.ledger import ReturnsLedger
from domain.errors import BadInput, Refused
from domain.provenance import recorded_at

REQUIRED = ("code", "name", "type", "region")


def council_commands(text: str) -> list[str | Refused]:
    """One JSON command per line of the file (blank for comments and blank lines, so a
    refused command's line number is the file's); a malformed row is a refusal saying why
    (see :func:`application.jsonl_import.import_lines`)."""
    lines = text.removeprefix("\ufeff").split("\n")
    data = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not data:
        return []
    header = next(csv.reader([data[0]]))
    missing = [column for column in REQUIRED if column not in header]
    commands: list[str | Refused] = [""] * len(lines)
    first = lines.index(data[0])
    if missing:
        commands[first] = BadInput(
            f"the header lacks the column(s) {', '.join(missing)}", field="file"
        )
        return commands
    for number, line in enumerate(lines):
        if number <= first or not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader(io.StringIO(line)))
        if len(row) != len(header):
            commands[number] = BadInput(
                f"has {len(row)} columns; the header has {len(header)}", field="file"
            )
            continue
        values = dict(zip(header, row, strict=True))
        command: dict[str, object] = {
            "type": "register_council",
            "id": f"register-council:{values['code'].strip().upper()}",
            "code": values["code"],
            "name": values["name"],
            "council_type": values["type"],
            "region": values["region"],
        }
        aliases = [alias for alias in values.get("aliases", "").split("|") if alias.strip()]
        if aliases:
            command["aliases"] = aliases
        if values.get("from", "").strip():
            command["from"] = values["from"].strip()
        commands[number] = json.dumps(command, ensure_ascii=False)
    return commands


def load_register(
    ledger: ReturnsLedger,
    text: str,
    *,
    actor: str | None = None,
    recorded: datetime | None = None,
) -> ImportResult:
    """Registers every council of a register file (see :func:`council_commands`); a file
    loaded again stores nothing. ``recorded`` sets the recorded time: for the sample year
    only (``quarterly demo`` loads the register as at 1 April 2016)."""
    lines = council_commands(text)
    if recorded is None:
        return import_lines(ledger, lines, actor=actor)
    with recorded_at(recorded):
        return import_lines(ledger, lines, actor=actor)
