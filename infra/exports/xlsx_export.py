"""The return as an XLSX workbook: the CSV's columns, every text a text cell."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from infra.exports.csv_export import COLUMNS, row
from infra.exports.layout import number_format
from projections.models import QuarterlyReturn

# XML cannot hold these either (U+FFFE, U+FFFF and the other noncharacters).
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")

RAG_FILLS = {"green": "00A651", "amber": "FFA500", "red": "E3001B", "black": "000000"}


def to_xlsx(report: QuarterlyReturn) -> bytes:
    """The return as one sheet, a bold header and each target's RAG filled in its colour."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Return {report.year.replace('/', '-')}"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rag_column = COLUMNS.index("rag") + 1
    for target in report.targets:
        sheet.append([cell_value(value) for value in row(report, target)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = number_format(cell.value)  # its stored decimals
        fill = RAG_FILLS.get(target.rag)
        if fill:
            sheet.cell(row=sheet.max_row, column=rag_column).fill = PatternFill(
                "solid", start_color=fill
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_value(value: Any) -> Any:
    """Text as a workbook can hold it: characters XLSX forbids (stored before commands
    refused them) become U+FFFD rather than failing the whole export."""
    if isinstance(value, str):
        return _NONCHARACTERS.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    return value
