"""The board pack's model and wording, without a store: counts, the heat map's grid, the
headline while the year is open, file names, slippage, and a clear error when WeasyPrint
cannot load."""

from __future__ import annotations

import sys

import pytest

from infra.exports.board_pack import PackFormat, PdfUnavailable, pack_filename
from infra.exports.board_pack_pdf import to_board_pack_pdf
from infra.exports.pack_layout import slippage, take_up_line
from projections.board_pack import BoardPack, rag_by_theme
from projections.models import MilestoneLine, RiskLine
from projections.year_end import year_end_summary
from tests.unit.test_charts import a_return, a_take_up


def a_pack(quarter: str | None = None) -> BoardPack:
    report = a_return()
    return BoardPack(
        year="2016/17",
        quarter=quarter,
        as_at=None,
        made_at="2017-01-01T00:00:00+00:00",
        report=report,
        year_end=year_end_summary(report),
        year_end_final=False,
        travel={"better": 0, "same": 0, "worse": 0, "not compared": 4},
        by_theme=rag_by_theme(report.targets),
        milestones=[],
        projects=[],
        risks=[
            RiskLine(ref="SR1", title="Funding", impact=4, likelihood=5, score=20, band="red"),
            RiskLine(ref="SR2", title="Staff", impact=4, likelihood=5, score=20, band="red"),
            RiskLine(ref="SR3", title="IT", impact=1, likelihood=2, score=2, band="green"),
        ],
        take_up=a_take_up(),
        restatements=[],
    )


def test_counts_grid_and_headline() -> None:
    pack = a_pack()
    by_theme = {theme.theme: theme for theme in pack.by_theme}
    assert by_theme["Second theme"].count("red") == 1
    assert by_theme["Second theme"].count("none") == 1
    grid = pack.risk_grid()
    assert len(grid) == 25
    assert grid[(5, 4)] == ["SR1", "SR2"]
    assert grid[(2, 1)] == ["SR3"]
    assert pack.headline == "1 of 3 key targets achieved so far (latest stated RAG)"
    assert [entry.key for entry in pack.rag_legend] == ["red", "amber", "green", "black", "none"]


def test_file_names() -> None:
    assert pack_filename(a_pack(), PackFormat.pdf) == "board-pack-2016-17.pdf"
    assert pack_filename(a_pack("Q2"), PackFormat.xlsx) == "board-pack-2016-17-Q2.xlsx"


@pytest.mark.parametrize(
    ("due", "current", "days", "months", "said"),
    [
        ("2016-09", "2016-12", 91, 3, "3 months later (91 days)"),
        ("2016-09-10", "2016-09-01", -9, 0, "9 days earlier"),
        ("2016-09", "2016-09", 0, 0, "On time"),
    ],
)
def test_slippage_wording(due: str, current: str, days: int, months: int, said: str) -> None:
    line = MilestoneLine(
        project="P", milestone="M", due=due, current_due=current, revisions=[],
        slippage_days=days, completed_on=None, slippage_months=months,
    )  # fmt: skip
    assert slippage(line) == said


def test_a_missing_weasyprint_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    with pytest.raises(PdfUnavailable, match=r"apt-get install libpango-1\.0-0"):
        to_board_pack_pdf(a_pack())


def test_take_up_without_a_register_says_so_rather_than_of_zero_councils() -> None:
    without = a_take_up().model_copy(update={"register_loaded": False, "councils": 0})
    line = take_up_line(without)
    assert line.startswith("No council register loaded: 9 councils engaged")
    assert "of 0" not in line
    assert take_up_line(a_take_up()).startswith("9 of 20 councils engaged (45%)")
