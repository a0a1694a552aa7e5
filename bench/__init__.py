"""``quarterly bench``: the service's figures beside the database's own, measured in one run.

A tool, not part of the service: it sits outside the layers (domain, application,
projections, workers, infra), uses them as any client would, and nothing in them imports it
except the CLI's ``bench`` command (an import-linter contract says so). Every figure is taken
in a store the bench creates (a fresh PostgreSQL schema, or a SQLite file in a temporary
folder) and removes at the end; it never touches an existing store.

Modules: :mod:`bench.workload` (the sample year, shared with the tests),
:mod:`bench.figures`, :mod:`bench.stores`, :mod:`bench.baselines` (raw database rates),
:mod:`bench.online`, :mod:`bench.bulk`, :mod:`bench.history`, :mod:`bench.http`, and
:mod:`bench.runner` (the whole run).
"""

from __future__ import annotations

from bench.figures import Figure, failed_measurements
from bench.runner import machine, run_bench

__all__ = ["Figure", "failed_measurements", "machine", "run_bench"]
