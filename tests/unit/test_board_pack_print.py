"""The printed pack (WeasyPrint's layout, before the PDF is written) keeps every line on the
page: long unbroken words, huge figures, long risk refs and mitigations wrap inside their
cells; charts and the heat map fit a page."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from infra.exports.board_pack_html import to_board_pack_html
from projections.board_pack import BoardPack
from projections.models import Commentary, RiskLine
from tests.unit.test_board_pack_model import a_pack

LONG = "X" * 400


def _laid_out(pack: BoardPack) -> Any:
    weasyprint = pytest.importorskip("weasyprint")
    return weasyprint.HTML(string=to_board_pack_html(pack, for_print=True)).render()


def _lines_off_the_page(document: Any) -> list[str]:
    off = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if type(box).__name__ not in {"LineBox", "TextBox"}:
                continue
            if box.position_x + box.margin_width() > page.width + 0.5:
                off.append(f"page {number}: {getattr(box, 'text', '')[:40]!r}")
    return off


def a_hostile_pack() -> BoardPack:
    pack = a_pack()
    first = pack.report.targets[0].model_copy(
        update={
            "title": LONG,
            "lead": LONG,
            "unit": LONG,
            "quarters": {"Q1": 123456789012345.125, "Q2": None, "Q3": None, "Q4": None},
            "total": 123456789012345.125,
            "commentary": Commentary(delivered=LONG, impact=None, forecast=None),
        }
    )
    report = pack.report.model_copy(update={"targets": [first, *pack.report.targets[1:]]})
    risks = [
        RiskLine(
            ref="R" * 60, title=LONG, impact=4, likelihood=5, score=20, band="red",
            category=LONG, owner=LONG, mitigation=LONG,
        )
    ]  # fmt: skip
    return pack.model_copy(update={"report": report, "risks": risks})


def test_long_words_and_huge_figures_wrap_inside_the_page() -> None:
    assert _lines_off_the_page(_laid_out(a_hostile_pack())) == []


def a_crowded_pack(targets: int = 300, risks: int = 60) -> BoardPack:
    pack = a_pack()
    model = pack.report.targets[0]
    lines = [
        model.model_copy(
            update={"code": f"T{n:03d}", "title": f"Target {n} with a long title " * (n % 3 + 1)}
        )
        for n in range(targets)
    ]
    report = pack.report.model_copy(update={"targets": lines})
    crowd = [
        RiskLine(ref=f"RISK-{n:03d}-" + "R" * 40, title="", impact=5, likelihood=5, score=25,
                 band="red")
        for n in range(risks)
    ]  # fmt: skip
    return pack.model_copy(update={"report": report, "risks": crowd})


def _pages_holding(document: Any, tag: str, css_class: str | None = None) -> list[int]:
    pages = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if getattr(box, "element_tag", None) != tag or element is None:
                continue
            if css_class is None or css_class in (element.get("class") or "").split():
                pages.append(number)
                break
    return pages


def _boxes_below_the_page(document: Any, tag: str) -> list[str]:
    below = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if getattr(box, "element_tag", None) != tag:
                continue
            if box.position_y + box.margin_height() > page.height + 0.5:
                below.append(f"page {number}")
    return below


def test_three_hundred_targets_make_charts_that_each_fit_a_page() -> None:
    document = _laid_out(a_crowded_pack())
    assert _boxes_below_the_page(document, "svg") == []
    assert _boxes_below_the_page(document, "figure") == []
    assert len(_pages_holding(document, "figure")) >= 15  # 300 targets, 20 per chart
    html = to_board_pack_html(a_crowded_pack(), for_print=True)
    assert "(chart 15 of 15)" in html


def test_the_heat_map_fits_one_page_however_many_risks_share_a_cell() -> None:
    document = _laid_out(a_crowded_pack(targets=4))
    assert len(_pages_holding(document, "table", "heat-map")) == 1
    assert _boxes_below_the_page(document, "table") == []
    html = to_board_pack_html(a_crowded_pack(targets=4), for_print=True)
    assert "RISK-000-RRRRRR…, RISK-001-RRRRRR…" in html
    assert "+56 more" in html


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_printing_a_pack_logs_nothing_from_weasyprint_or_fonttools() -> None:
    pytest.importorskip("weasyprint")
    from infra.exports.board_pack_pdf import to_board_pack_pdf

    collected, root = _Collected(), logging.getLogger()
    level = root.level
    root.addHandler(collected)
    root.setLevel(logging.DEBUG)
    try:
        pdf = to_board_pack_pdf(a_pack())
    finally:
        root.removeHandler(collected)
        root.setLevel(level)
    assert pdf.startswith(b"%PDF")
    noisy = [r for r in collected.records if r.name.split(".")[0] in {"weasyprint", "fontTools"}]
    assert noisy == []


def test_the_html_pack_has_no_duplicate_ids() -> None:
    page = to_board_pack_html(a_crowded_pack(targets=45))
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) > 100
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
