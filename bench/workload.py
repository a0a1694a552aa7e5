"""The sample-year workload: commands of a reporting year at any scale, as the contract's
JSON objects. The bench measures with it, and the tests use it wherever they need a year
with many commands in it (a busy year for a projection, a batch to compare with one by one).

Every command is a plain ``dict`` (what an import line or an HTTP body holds); ids are
``<prefix>-...``, so two workloads with different prefixes never collide.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from application.commands import BaseCommand, parse_command
from application.council_file import load_register
from application.ledger import ReturnsLedger
from samples import council_register_text

YEAR = "2016/17"
THEMES = ("Peer support", "Efficiency", "Leadership", "Communities")
AGGREGATIONS = ("sum", "sum", "latest", "max")
TARGETS = [f"T{n:02d}" for n in range(20)]
COUNCILS = (
    "Cornwall Council",
    "Leeds City Council",
    "Kent County Council",
    "Birmingham City Council",
    "Norfolk County Council",
)
MONTHS = [f"2016-{m:02d}" for m in range(4, 13)] + [f"2017-{m:02d}" for m in range(1, 4)]
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def target_definitions(prefix: str = "b") -> Iterator[dict[str, Any]]:
    """The year's 20 targets, cycling through the themes and aggregations."""
    for n, code in enumerate(TARGETS):
        yield {
            "type": "define_target",
            "id": f"{prefix}-def-{code}",
            "year": YEAR,
            "code": code,
            "title": f"Outcome {code}",
            "theme": THEMES[n % 4],
            "aggregation": AGGREGATIONS[n % 4],
            "target": 100 + n,
            "unit": "councils",
        }


def engagement(number: int, *, prefix: str = "b", **fields: Any) -> dict[str, Any]:
    """The ``number``-th engagement of a workload: its target and council cycle with the
    number; ``fields`` (a date, an actor, a restatement reason ...) are added or replace."""
    return {
        "type": "record_engagement",
        "id": f"{prefix}-e{number}",
        "year": YEAR,
        "code": TARGETS[number % 20],
        "date": "2016-05-15",
        "council": COUNCILS[number % 5],
    } | fields


def engagements_in(
    quarter: int, count: int, *, start: int = 0, prefix: str = "b", **fields: Any
) -> Iterator[dict[str, Any]]:
    """``count`` engagements numbered from ``start``, dated in quarter ``quarter`` (0-3)
    across its three months and recorded by seven teams in turn."""
    for number in range(start, start + count):
        month = MONTHS[quarter * 3 + number % 3]
        yield (
            engagement(number, prefix=prefix, date=f"{month}-15", actor=f"team{number % 7}")
            | fields
        )


def quarter_return(quarter: str, prefix: str = "b") -> Iterator[dict[str, Any]]:
    """One quarter's return for every target: a figure for every other target (the rest
    count their engagements), a RAG and a line of commentary for each."""
    for n, code in enumerate(TARGETS):
        if n % 2:
            yield {
                "type": "report_figure",
                "id": f"{prefix}-f-{code}-{quarter}",
                "year": YEAR,
                "code": code,
                "quarter": quarter,
                "value": 10 + n,
            }
        yield {
            "type": "set_rag",
            "id": f"{prefix}-r-{code}-{quarter}",
            "year": YEAR,
            "code": code,
            "quarter": quarter,
            "rag": ("green", "amber", "red")[n % 3],
        }
        yield {
            "type": "comment",
            "id": f"{prefix}-c-{code}-{quarter}",
            "year": YEAR,
            "code": code,
            "quarter": quarter,
            "kind": "delivered",
            "text": f"{quarter} delivery",
        }


def close(quarter: str, prefix: str = "b") -> dict[str, Any]:
    """The close of ``quarter`` of the sample year."""
    return {
        "type": "close_quarter",
        "id": f"{prefix}-close-{quarter}",
        "year": YEAR,
        "quarter": quarter,
    }


def year_commands(engagements: int, prefix: str = "b") -> Iterator[dict[str, Any]]:
    """A year at scale: 20 targets, ``engagements`` engagements spread over the quarters,
    each quarter's figures, RAG and commentary, and the closes of Q1 to Q3."""
    yield from target_definitions(prefix)
    per_quarter = max(engagements // 4, 1)
    for quarter, name in enumerate(QUARTERS):
        yield from engagements_in(quarter, per_quarter, start=quarter * per_quarter, prefix=prefix)
        yield from quarter_return(name, prefix)
        if quarter < 3:
            yield close(name, prefix)


def load_history(ledger: ReturnsLedger, events: int, *, middle: list[str] | None = None) -> int:
    """Stores a sample year of about ``events`` events in batches, and returns how many
    commands it took; notes the recorded time half way through in ``middle``."""
    # An engagement is one event; the ~300 other commands are two each (with a receipt).
    commands = list(year_commands(max(events - 600, 4)))
    batch: list[BaseCommand] = []
    for n, payload in enumerate(commands):
        batch.append(parse_command(payload))
        if len(batch) == 1000:
            ledger.execute_batch(batch)
            batch = []
        if middle is not None and n == len(commands) // 2:
            ledger.execute_batch(batch)
            batch = []
            middle.append(datetime.now(UTC).isoformat())
    ledger.execute_batch(batch)
    return len(commands)


def load_shipped_register(ledger: ReturnsLedger) -> None:
    """Registers the shipped councils (samples/, 353 of them); the workloads' councils are
    among them. Raises RuntimeError if any is refused."""
    result = load_register(ledger, council_register_text())
    if result.refused:
        raise RuntimeError(f"the shipped register was refused: {result.refused[:3]}")
