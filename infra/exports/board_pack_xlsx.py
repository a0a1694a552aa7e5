"""The board pack as an XLSX workbook: one sheet per section (Summary, Return, Milestones,
Risks, Take-up, Restatements) with human headers, column widths, frozen header rows, auto
filters, number formats, native charts and print setup (landscape, fit to width, header
rows repeated on every printed page).

Every RAG cell is filled in its colour AND carries its word, in a font colour readable on
that fill (white on black, green and red). Stored text is always a text cell, never a
formula (``xlsx_export.cell_value`` and ``data_type "s"``), whatever it starts with.

Its length: one short function per sheet, with the shared cell styles above them; a sheet
read alone makes sense only with those styles, so they stay in one module.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.calendar import QUARTERS
from domain.risks import risk_band
from infra.exports import pack_layout
from infra.exports.layout import BAND_COLOURS, RAG_COLOURS, RAG_LABELS, by_theme, number_format
from infra.exports.xlsx_export import cell_value
from projections.board_pack import RAG_ORDER, BoardPack

QUARTER_NAMES = [q.value for q in QUARTERS]
SHEETS = ("Summary", "Return", "Milestones", "Risks", "Take-up", "Restatements")
HEADER_FILL = PatternFill("solid", start_color="F3F2F1")
THIN = Side(style="thin", color="B1B4B6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MOMENT = "d mmm yyyy, hh:mm"  # a recorded time, in UTC (the heading says so)
PERCENT = '0"%"'  # the value stays the whole number the report gives (93 is 93%)

# The Return sheet's columns: (header, width). Text columns wider than 30 wrap.
RETURN_COLUMNS: list[tuple[str, int]] = [
    ("Theme", 24),
    ("Code", 7),
    ("Outcome / deliverable", 40),
    ("Unit", 14),
    ("Lead", 18),
    ("Board", 22),
    ("Measure", 16),
    ("Annual target", 10),
    *(item for q in QUARTER_NAMES for item in ((q, 9), (f"{q} RAG", 12))),
    ("Year figure", 10),
    ("Percent achieved", 10),
    ("RAG", 13),
    ("Trajectory (computed)", 16),
    ("Direction of travel", 13),
    ("What have we delivered", 48),
    ("Delivered: written for", 12),
    ("Impact", 40),
    ("Impact: written for", 12),
    ("Forecast", 40),
    ("Forecast: written for", 12),
    ("Restatements", 11),
]


def to_board_pack_xlsx(pack: BoardPack) -> bytes:
    """The pack as XLSX bytes."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    return_sheet = book.create_sheet("Return")
    _return(return_sheet, pack)
    _summary(summary, pack, return_sheet)
    _milestones(book.create_sheet("Milestones"), pack)
    _risks(book.create_sheet("Risks"), pack)
    _take_up(book.create_sheet("Take-up"), pack)
    _restatements(book.create_sheet("Restatements"), pack)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- sheets -------------------------------------------------------------------------------


def _summary(sheet: Worksheet, pack: BoardPack, return_sheet: Worksheet) -> None:
    put(sheet, 1, 1, pack.title).font = Font(bold=True, size=16)
    as_at = (
        f"As it stood when {pack.quarter} was closed ({pack_layout.recorded(pack.as_at)})"
        if pack.quarter
        else "As it stands now"
    )
    put(sheet, 2, 1, as_at, wrap=False)
    closed = ", ".join(pack.report.closed_quarters) or "none"
    put(sheet, 3, 1, f"Closed quarters: {closed}", wrap=False)
    put(sheet, 4, 1, pack.headline, wrap=False).font = Font(bold=True, size=13)

    row = 6
    _heading(sheet, row, ["Stated RAG", "Targets"])
    counts = pack.report.summary.document()
    for n, rag in enumerate(RAG_ORDER, start=row + 1):
        rag_cell(sheet, n, 1, rag)
        put(sheet, n, 2, counts[rag])
    put(sheet, row + 6, 1, "All targets").font = Font(bold=True)
    put(sheet, row + 6, 2, pack.report.summary.targets).font = Font(bold=True)

    _heading(sheet, row, ["Direction of travel", "Targets"], column=4)
    for n, (travel, count) in enumerate(pack.travel.items(), start=row + 1):
        put(sheet, n, 4, pack_layout.travel_word(travel))
        put(sheet, n, 5, count)

    _heading(sheet, row, ["Achievement", "Targets"], column=7)
    for n, (band, count) in enumerate(pack.year_end.by_achievement.items(), start=row + 1):
        put(sheet, n, 7, band)
        put(sheet, n, 8, count)

    # RAG by theme: the table the chart beside it draws.
    top = row + 9
    _heading(sheet, top, ["Theme", *(RAG_LABELS[rag] for rag in RAG_ORDER)])
    for n, theme in enumerate(pack.by_theme, start=top + 1):
        put(sheet, n, 1, theme.theme or "No theme")
        for column, rag in enumerate(RAG_ORDER, start=2):
            put(sheet, n, column, theme.count(rag))
    last = top + len(pack.by_theme)
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "RAG by theme"
    chart.y_axis.title = "Targets"
    chart.add_data(
        Reference(sheet, min_col=2, max_col=1 + len(RAG_ORDER), min_row=top, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
    for series, rag in zip(chart.series, RAG_ORDER, strict=True):
        series.graphicalProperties.solidFill = RAG_COLOURS[rag][0].lstrip("#")
        series.graphicalProperties.line.solidFill = "0B0C0C"
    chart.height, chart.width = 7.5, 16
    sheet.add_chart(chart, "J6")

    # Percent achieved per target, drawn from the Return sheet's columns.
    code = _column_of("Code")
    percent = _column_of("Percent achieved")
    targets = len(pack.report.targets)
    bars = BarChart()
    bars.type = "bar"
    bars.title = "Percent achieved per target"
    bars.y_axis.title = "Percent of the annual target"
    bars.add_data(
        Reference(return_sheet, min_col=percent, min_row=1, max_row=1 + targets),
        titles_from_data=True,
    )
    bars.set_categories(Reference(return_sheet, min_col=code, min_row=2, max_row=1 + targets))
    bars.legend = None
    bars.x_axis.scaling.orientation = "maxMin"  # first target at the top, as in the return
    bars.height, bars.width = 12, 16
    sheet.add_chart(bars, "J22")

    legend_top = last + 3
    _heading(sheet, legend_top, ["RAG", "Meaning"])
    for n, entry in enumerate(pack.rag_legend, start=legend_top + 1):
        rag_cell(sheet, n, 1, entry.key)
        put(sheet, n, 2, entry.meaning, wrap=False)
    _widths(sheet, [34, 12, 12, 20, 12, 12, 28, 10])
    _print_setup(sheet, header_row=None)


def _return(sheet: Worksheet, pack: BoardPack) -> None:
    _heading(sheet, 1, [name for name, _ in RETURN_COLUMNS])
    row = 1
    for theme, targets in by_theme(pack.report):
        for t in targets:
            row += 1
            sources = t.commentary_from
            values: list[Any] = [
                theme or "No theme",
                t.code,
                t.title,
                t.unit,
                t.lead,
                t.board,
                pack_layout.DIRECTION_WORDS[t.direction]
                + (f" ({t.threshold})" if t.threshold else ""),
                t.target,
            ]
            for q in QUARTER_NAMES:
                values += [t.quarters[q], None]
            values += [
                t.total,
                t.percent_achieved,
                None,
                pack_layout.trajectory_word(t),
                pack_layout.travel_word(t.direction_of_travel),
            ]
            for kind in pack_layout.COMMENTARY_KINDS:
                source = getattr(sources, kind)
                written = None
                if source is not None:
                    written = source.quarter + (" (carried forward)" if source.carried else "")
                values += [getattr(t.commentary, kind), written]
            values.append(len(t.restatements))
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value)
            for q in QUARTER_NAMES:
                rag = t.rag_by_quarter[q]
                if rag is not None:
                    rag_cell(sheet, row, _column_of(f"{q} RAG"), rag)
            rag_cell(sheet, row, _column_of("RAG"), t.rag)
            sheet.cell(row, _column_of("Percent achieved")).number_format = PERCENT
    _table(sheet, [width for _, width in RETURN_COLUMNS], rows=row)
    sheet.freeze_panes = "D2"  # headers and the code and title stay in view


def _milestones(sheet: Worksheet, pack: BoardPack) -> None:
    headers = [
        ("Project", 24),
        ("Milestone", 36),
        ("Original date", 13),
        ("Revised date", 13),
        ("Slippage", 24),
        ("Slippage (days)", 10),
        ("Slippage (months)", 10),
        ("Completed", 12),
        ("Status", 18),
        ("RAG", 13),
        ("Revisions (new date: reason)", 50),
    ]
    _heading(sheet, 1, [name for name, _ in headers])
    for row, m in enumerate(pack.milestones, start=2):
        values = [
            m.project,
            m.milestone,
            pack_layout.milestone_date(m.due),
            pack_layout.revised_date(m),
            pack_layout.slippage(m),
            m.slippage_days,
            m.slippage_months,
            pack_layout.milestone_date(m.completed_on),
            m.status,
            None,
            pack_layout.revision_reasons(m),
        ]
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
        if m.rag:
            rag_cell(sheet, row, 10, m.rag)
    _table(sheet, [width for _, width in headers], rows=1 + len(pack.milestones))


def _risks(sheet: Worksheet, pack: BoardPack) -> None:
    headers = [
        ("Ref", 7),
        ("Risk", 36),
        ("Category", 16),
        ("Owner", 20),
        ("Impact", 8),
        ("Likelihood", 10),
        ("Score", 7),
        ("Band", 9),
        ("Previous score", 9),
        ("Direction of travel", 20),
        ("Mitigation", 48),
        ("Assessed at (UTC)", 20),
    ]
    _heading(sheet, 1, [name for name, _ in headers])
    for row, r in enumerate(pack.risks, start=2):
        values = [
            r.ref,
            r.title,
            r.category,
            r.owner,
            r.impact,
            r.likelihood,
            r.score,
            None,
            r.previous_score,
            pack_layout.risk_travel_word(r),
            r.mitigation,
            pack_layout.moment(r.assessed_at),
        ]
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
        band_cell(sheet, row, 8, r.band)
    last = 1 + len(pack.risks)
    _table(sheet, [width for _, width in headers], rows=last)

    # The 5x5 heat map under the register: likelihood down (5 at the top), impact across.
    top = last + 3
    put(sheet, top, 1, "Heat map: risk refs by likelihood (rows) and impact (columns)").font = Font(
        bold=True
    )
    put(sheet, top + 1, 1, "Likelihood \\ Impact").font = Font(bold=True)
    for impact in range(1, 6):
        put(sheet, top + 1, 1 + impact, impact).font = Font(bold=True)
    grid = pack.risk_grid()
    for n, likelihood in enumerate(range(5, 0, -1), start=top + 2):
        put(sheet, n, 1, likelihood).font = Font(bold=True)
        for impact in range(1, 6):
            band = risk_band(likelihood * impact)
            refs = ", ".join(grid[(likelihood, impact)])
            cell = band_cell(sheet, n, 1 + impact, band)
            cell.value = f"{band.capitalize()} {likelihood * impact}" + (
                f": {refs}" if refs else ""
            )
            cell.data_type = "s"


def _take_up(sheet: Worksheet, pack: BoardPack) -> None:
    take_up = pack.take_up
    headers = [("Region", 26), ("Councils", 10), ("Engaged", 10), ("Percent engaged", 10),
               ("Engagements", 12)]  # fmt: skip
    _heading(sheet, 1, [name for name, _ in headers])
    for row, r in enumerate(take_up.by_region, start=2):
        for column, value in enumerate(
            [r.region, r.councils, r.engaged, r.percent, r.engagements], start=1
        ):
            put(sheet, row, column, value)
        sheet.cell(row, 4).number_format = PERCENT
    last = 1 + len(take_up.by_region)
    _table(sheet, [width for _, width in headers], rows=last)
    put(
        sheet,
        last + 2,
        1,
        pack_layout.take_up_line(take_up),
    )
    if take_up.by_region:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Take-up by region (percent of councils engaged)"
        chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
        chart.legend = None
        chart.x_axis.scaling.orientation = "maxMin"
        chart.height, chart.width = 8, 14
        sheet.add_chart(chart, "H2")


def _restatements(sheet: Worksheet, pack: BoardPack) -> None:
    headers = [
        ("Code", 7),
        ("Target", 36),
        ("Quarter", 8),
        ("What changed", 16),
        ("Was", 12),
        ("Now", 12),
        ("Reason", 48),
        ("Who", 28),
        ("Recorded at (UTC)", 20),
    ]
    _heading(sheet, 1, [name for name, _ in headers])
    for row, item in enumerate(pack.restatements, start=2):
        r = item.restatement
        values = [item.code, item.title, r.quarter, pack_layout.restated_field(r.field),
                  _plain(r.old), _plain(r.new), r.restatement_reason, r.actor,
                  pack_layout.moment(r.recorded_at)]  # fmt: skip
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
    _table(sheet, [width for _, width in headers], rows=1 + len(pack.restatements))


# -- cells --------------------------------------------------------------------------------


def put(sheet: Worksheet, row: int, column: int, value: Any, *, wrap: bool = True) -> Any:
    """Writes a value: text always as a text cell (never a formula), long text wrapped
    (unless ``wrap`` is False: it runs on into the empty cells beside it), numbers with a
    number format. Returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if wrap and ("\n" in cell.value or len(cell.value) > 30):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif isinstance(cell.value, bool):
        pass
    elif isinstance(cell.value, datetime):
        cell.number_format = MOMENT
    elif isinstance(cell.value, int | float):
        cell.number_format = number_format(cell.value)  # exactly its stored decimals
    return cell


def rag_cell(sheet: Worksheet, row: int, column: int, rag: str) -> Any:
    """A RAG as its word on its colour, in a font colour readable on it."""
    background, ink = RAG_COLOURS[rag]
    cell = put(sheet, row, column, RAG_LABELS[rag])
    cell.fill = PatternFill("solid", start_color=background.lstrip("#"))
    cell.font = Font(bold=True, color=ink.lstrip("#"))
    cell.alignment = Alignment(horizontal="center", vertical="top")
    return cell


def band_cell(sheet: Worksheet, row: int, column: int, band: str) -> Any:
    """A risk band as its word on its colour."""
    background, ink = BAND_COLOURS[band]
    cell = put(sheet, row, column, band.capitalize())
    cell.fill = PatternFill("solid", start_color=background.lstrip("#"))
    cell.font = Font(bold=True, color=ink.lstrip("#"))
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _plain(value: Any) -> Any:
    return "–" if value is None else value if isinstance(value, int | float | str) else str(value)


def _column_of(header: str) -> int:
    return [name for name, _ in RETURN_COLUMNS].index(header) + 1


def _heading(sheet: Worksheet, row: int, headers: Sequence[str], column: int = 1) -> None:
    for n, header in enumerate(headers, start=column):
        cell = put(sheet, row, n, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _table(sheet: Worksheet, widths: Sequence[int], *, rows: int) -> None:
    """A tabular sheet: header row 1 frozen, filtered, repeated on printed pages."""
    _widths(sheet, widths)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(rows, 1)}"
    _print_setup(sheet, header_row=1)


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width


def _print_setup(sheet: Worksheet, *, header_row: int | None) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.right.text = "Page &P of &N"
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
