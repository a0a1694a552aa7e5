"""The return as one HTML page: a table grouped by theme, every stored text escaped."""

from __future__ import annotations

import html

from infra.exports.layout import QUARTER_NAMES, by_theme, number
from projections.models import QuarterlyReturn


def to_html(report: QuarterlyReturn) -> str:
    """A standalone page (its styles inline) with one row per target."""
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
    for theme, targets in by_theme(report):
        parts.append(f"<tr><th colspan='10'>{e(theme or 'No theme')}</th></tr>")
        for t in targets:
            cells = [
                t.code,
                t.title,
                number(t.target),
                *(number(t.quarters[q]) for q in QUARTER_NAMES),
                number(t.total),
                number(t.percent_achieved),
            ]
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells))
            parts.append(f"<td class='{e(t.rag)}'>{e(t.rag)}</td>")
            parts.append(f"<td>{e(t.commentary.delivered or '')}</td></tr>")
    parts.append("</table></html>\n")
    return "".join(parts)
