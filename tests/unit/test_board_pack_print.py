"""The printed pack (WeasyPrint's layout, before the PDF is written) keeps every line on the
page: long unbroken words, huge figures, long risk refs and mitigations wrap inside their
cells; charts and the heat map fit a page."""

from __future__ import annotations

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
