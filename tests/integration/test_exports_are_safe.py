"""Exports open as the text that was stored: never a formula (OWASP's CSV injection)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from infra.exports.csv_export import to_csv
from infra.exports.xlsx_export import to_xlsx
from infra.store import Store
from projections.quarterly_return import read_return
from tests.builders import comment, define
from tests.integration.helpers import YEAR, execute_all, report

FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=1", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", FORMULAS)
def test_stored_text_never_becomes_a_formula(store: Store, text: str) -> None:
    execute_all(store, [define(unit=text), comment("Q1", text)])
    report(store)  # catches the read models up
    document = read_return(store.read_models, YEAR)

    [header, row] = list(csv.reader(io.StringIO(to_csv(document))))
    assert row[header.index("delivered")] == "'" + text
    assert row[header.index("unit")] == "'" + text

    workbook = to_xlsx(document)
    sheet_xml = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    values = [cell.value for cell in sheet[2]]
    assert text in values
    assert all(cell.data_type != "f" for cell in sheet[2])
