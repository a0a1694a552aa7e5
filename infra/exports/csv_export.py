"""The return as CSV: one row per target. The XLSX export writes the same columns."""

from __future__ import annotations

import csv
import io
from typing import Any

from infra.exports.layout import QUARTER_NAMES
from projections.models import QuarterlyReturn, TargetLine

COLUMNS = [
    "year",
    "theme",
    "code",
    "title",
    "unit",
    "aggregation",
    "target",
    *QUARTER_NAMES,
    "total",
    "percent_achieved",
    "rag",
    *(f"rag_{q}" for q in QUARTER_NAMES),
    "delivered",
    "impact",
    "forecast",
    "restatements",
]


def row(report: QuarterlyReturn, t: TargetLine) -> list[Any]:
    """One target's values, in the order of ``COLUMNS``."""
    return [
        report.year,
        t.theme,
        t.code,
        t.title,
        t.unit,
        t.aggregation,
        t.target,
        *(t.quarters[q] for q in QUARTER_NAMES),
        t.total,
        t.percent_achieved,
        t.rag,
        *(t.rag_by_quarter[q] for q in QUARTER_NAMES),
        t.commentary.delivered,
        t.commentary.impact,
        t.commentary.forecast,
        len(t.restatements),
    ]


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): stored text that starts so is written with a leading apostrophe in CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A CSV field that opens as the text it is, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def to_csv(report: QuarterlyReturn) -> str:
    """The return as CSV text, a header line first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for target in report.targets:
        writer.writerow([csv_text(v) for v in row(report, target)])
    return out.getvalue()
