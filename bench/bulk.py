"""Bulk import: a JSONL file of the sample year through ``import``, beside batched INSERTs."""

from __future__ import annotations

import json
import time

from application.jsonl_import import import_lines
from bench.baselines import raw_batched_insert
from bench.figures import Figure, ratio
from bench.stores import opened
from bench.workload import load_shipped_register, year_commands


def bulk_import(url: str, commands: int) -> Figure:
    """Commands per second of importing a sample year of about ``commands`` lines."""
    lines = [json.dumps(p) for p in year_commands(commands, prefix="bulk")]
    with opened(url) as store:
        load_shipped_register(store.ledger)  # as a real store has it (not timed)
        started = time.perf_counter()
        result = import_lines(store.ledger, lines)
        app = result.stored / (time.perf_counter() - started)
    raw = raw_batched_insert(url, len(lines))
    return Figure(
        "bulk import of a JSONL file",
        round(app, 1),
        "commands/s",
        round(raw, 1),
        ratio(app, raw),
        ">= 25,000 commands/s; ratio >= 0.25",
        f"{result.stored} commands, the shipped council register loaded first; baseline: "
        "batched INSERT of 400-byte rows",
    )
