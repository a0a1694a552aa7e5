"""The quarterly return written as JSON, CSV, a terminal table, XLSX or HTML.

JSON is the one serialiser that the CLI and (later) the HTTP API share.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.calendar import QUARTERS
from projections.models import QuarterlyReturn, TargetLine

RAG_STYLES = {
    "green": "bold white on green",
    "amber": "bold black on dark_orange",
    "red": "bold white on red",
    "black": "bold white on black",
    "none": "dim",
}
QUARTER_STYLES = {"green": "green", "amber": "dark_orange", "red": "red", "black": "bold"}
RAG_FILLS = {"green": "00A651", "amber": "FFA500", "red": "E3001B", "black": "000000"}
QUARTER_NAMES = [q.value for q in QUARTERS]


def to_json(document: Any) -> str:
    """Deterministic JSON: the same document always gives the same bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def _by_theme(report: QuarterlyReturn) -> Iterable[tuple[str, list[TargetLine]]]:
    order: dict[str, int] = {}
    for target in report.targets:
        order.setdefault(target.theme or "", len(order))
    ordered = sorted(report.targets, key=lambda t: order[t.theme or ""])
    for theme, targets in groupby(ordered, key=lambda t: t.theme or ""):
        yield theme, list(targets)


CSV_COLUMNS = [
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


def _csv_row(report: QuarterlyReturn, t: TargetLine) -> list[Any]:
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for target in report.targets:
        writer.writerow([csv_text(v) for v in _csv_row(report, target)])
    return out.getvalue()


def to_xlsx(report: QuarterlyReturn) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Return {report.year.replace('/', '-')}"
    sheet.append(CSV_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rag_column = CSV_COLUMNS.index("rag") + 1
    for target in report.targets:
        sheet.append([_cell_value(value) for value in _csv_row(report, target)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
        fill = RAG_FILLS.get(target.rag)
        if fill:
            sheet.cell(row=sheet.max_row, column=rag_column).fill = PatternFill(
                "solid", start_color=fill
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_value(value: Any) -> Any:
    """Text as a workbook can hold it: characters XLSX forbids (stored before commands
    refused them) become U+FFFD rather than failing the whole export."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def to_html(report: QuarterlyReturn) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        f"<title>Quarterly return {e(report.year)}</title>",
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px}.green{background:#00a651;color:#fff}"
        ".amber{background:#ffa500}.red{background:#e3001b;color:#fff}"
        ".black{background:#000;color:#fff}</style>",
        f"<h1>Quarterly return {e(report.year)}</h1>",
        f"<p>Closed quarters: {e(', '.join(report.closed_quarters) or 'none')}</p>",
        "<table><tr><th>Code</th><th>Outcome</th><th>Target</th>",
        *(f"<th>{q}</th>" for q in QUARTER_NAMES),
        "<th>Total</th><th>%</th><th>RAG</th><th>What have we delivered</th></tr>",
    ]
    for theme, targets in _by_theme(report):
        parts.append(f"<tr><th colspan='10'>{e(theme or 'No theme')}</th></tr>")
        for t in targets:
            cells = [
                t.code,
                t.title,
                _number(t.target),
                *(_number(t.quarters[q]) for q in QUARTER_NAMES),
                _number(t.total),
                _number(t.percent_achieved),
            ]
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells))
            parts.append(f"<td class='{e(t.rag)}'>{e(t.rag)}</td>")
            parts.append(f"<td>{e(t.commentary.delivered or '')}</td></tr>")
    parts.append("</table></html>\n")
    return "".join(parts)


def print_table(report: QuarterlyReturn, console: Console) -> None:
    """The published return's layout: one table per theme, quarters as columns."""
    heading = f"Quarterly return {report.year}"
    if report.as_at:
        heading += f" as at {report.as_at}"
    closed = ", ".join(report.closed_quarters) or "none"
    console.print(f"[bold]{heading}[/]  (closed quarters: {closed})")
    with_commentary = console.width >= 120
    for theme, targets in _by_theme(report):
        table = Table(
            title=theme or "No theme", title_justify="left", title_style="bold cyan", expand=True
        )
        table.add_column("Code", no_wrap=True, min_width=5)
        table.add_column("Outcome / deliverable", ratio=3)
        table.add_column("Target", justify="right", no_wrap=True)
        for quarter in QUARTER_NAMES:
            table.add_column(quarter, justify="right", no_wrap=True)
        table.add_column("Total", justify="right", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
        table.add_column("RAG", justify="center", no_wrap=True)
        if with_commentary:
            table.add_column("What have we delivered", ratio=3)
        for t in targets:
            row: list[str | Text] = [
                t.code + (" *" if t.restatements else ""),
                t.title + (f" ({t.unit})" if t.unit else ""),
                _number(t.target),
                *(_quarter_cell(t, q) for q in QUARTER_NAMES),
                _number(t.total),
                _number(t.percent_achieved),
                Text(f" {t.rag.upper()} ", style=RAG_STYLES[t.rag]),
            ]
            if with_commentary:
                row.append(t.commentary.delivered or "")
            table.add_row(*row)
        console.print(table)
    summary = report.summary.document()
    console.print(
        f"{summary['targets']} targets: "
        + ", ".join(f"[{RAG_STYLES[rag]}] {summary[rag]} {rag} [/]" for rag in RAG_STYLES)
    )
    restated = [t for t in report.targets if t.restatements]
    if restated:
        console.print("* restated after the quarter closed:")
        for t in restated:
            for r in t.restatements:
                console.print(
                    f"  {t.code} {r.quarter} {r.field}: {r.old} -> {r.new} "
                    f"({r.restatement_reason}; {r.actor or 'unknown'}, {r.recorded_at})",
                    markup=False,
                )


def _quarter_cell(target: TargetLine, quarter: str) -> Text:
    figure = target.quarters[quarter]
    rag = target.rag_by_quarter[quarter]
    text = _number(figure) if figure is not None else "–"
    return Text(text, style=QUARTER_STYLES.get(rag or "", ""))
