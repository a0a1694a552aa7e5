"""Figures are shown with every decimal they were stored with, thousands separated, the
same in the terminal table, the HTML/PDF pack and the workbooks (a number format per cell
with exactly its decimals); recorded times in the workbook are date cells."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from rich.console import Console

from infra.cli.tables.returns import print_return
from infra.exports.board_pack_html import to_board_pack_html
from infra.exports.board_pack_xlsx import to_board_pack_xlsx
from infra.exports.layout import decimals, number, number_format
from infra.exports.xlsx_export import to_xlsx
from projections.board_pack import PackRestatement
from projections.models import QuarterlyReturn, Restatement
from tests.unit.test_board_pack_model import a_pack
from tests.unit.test_return_table import a_return


@pytest.mark.parametrize(
    ("value", "shown", "places", "spreadsheet"),
    [
        (0.001, "0.001", 3, "#,##0.000"),
        (1.005, "1.005", 3, "#,##0.000"),
        (1234567.5, "1,234,567.5", 1, "#,##0.0"),
        (1e12, "1,000,000,000,000", 0, "#,##0"),
        (1e-06, "0.000001", 6, "#,##0.000000"),
        (-6.8, "-6.8", 1, "#,##0.0"),
        (2.0, "2", 0, "#,##0"),
        (12345, "12,345", 0, "#,##0"),
        (None, "", 0, "#,##0"),
    ],
)
def test_a_figure_keeps_its_decimals(
    value: float | None, shown: str, places: int, spreadsheet: str
) -> None:
    assert number(value) == shown
    assert decimals(value) == places
    assert number_format(value) == spreadsheet


def _with_figures() -> QuarterlyReturn:
    report = a_return()
    line = report.targets[0].model_copy(
        update={"quarters": {"Q1": 0.001, "Q2": 1.005, "Q3": 1234.5, "Q4": None}, "total": 1235.506}
    )
    return report.model_copy(update={"targets": [line]})


def test_every_rendering_shows_the_same_decimals() -> None:
    report = _with_figures()
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_return(report, console)
    table = console.file.getvalue()  # type: ignore[attr-defined]
    for shown in ("0.001", "1.005", "1,234.5", "1,235.506"):
        assert shown in table, shown
    pack = a_pack().model_copy(update={"report": report})
    page = to_board_pack_html(pack)
    for shown in ("0.001", "1.005", "1,234.5", "1,235.506"):
        assert f">{shown}" in page, shown
    sheet = load_workbook(io.BytesIO(to_board_pack_xlsx(pack)))["Return"]
    formats = {cell.value: cell.number_format for row in sheet.iter_rows() for cell in row}
    assert formats[0.001] == "#,##0.000"
    assert formats[1.005] == "#,##0.000"
    assert formats[1234.5] == "#,##0.0"
    assert formats[1235.506] == "#,##0.000"
    plain = load_workbook(io.BytesIO(to_xlsx(report))).active
    assert plain is not None
    assert {c.value: c.number_format for r in plain.iter_rows() for c in r}[0.001] == "#,##0.000"


def test_workbook_times_are_dates_and_restatements_say_what_changed_in_words() -> None:
    pack = a_pack()
    line = pack.report.targets[0]
    restated = Restatement(
        actor="alice", field="commentary:impact", new="b", old="a", quarter="Q1",
        recorded_at="2016-10-20T00:30:00+00:00", restatement_reason="typo",
    )  # fmt: skip
    risks = [pack.risks[0].model_copy(update={"assessed_at": "2016-07-01T09:15:00Z"})]
    pack = pack.model_copy(
        update={
            "restatements": [
                PackRestatement(code=line.code, title=line.title, restatement=restated)
            ],
            "risks": risks,
        }
    )
    book = load_workbook(io.BytesIO(to_board_pack_xlsx(pack)))
    rows = book["Restatements"][2]
    assert rows[3].value == "Commentary (impact)"
    assert rows[8].value == datetime(2016, 10, 20, 0, 30)
    assert rows[8].number_format == "d mmm yyyy, hh:mm"
    assessed = [c for c in book["Risks"][2] if isinstance(c.value, datetime)]
    assert [c.value for c in assessed] == [datetime(2016, 7, 1, 9, 15)]
    assert "Commentary (impact)" in to_board_pack_html(pack)
