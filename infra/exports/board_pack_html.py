"""The board pack as one standalone HTML page (styles inline, charts as inline SVG), from
the Jinja2 template ``templates/board_pack.html`` with autoescape on: every stored text is
escaped. The same page, printed by WeasyPrint, is the PDF (``board_pack_pdf``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from domain.calendar import QUARTERS
from domain.risks import risk_band
from infra.exports import charts, pack_layout
from infra.exports.layout import (
    BAND_COLOURS,
    RAG_COLOURS,
    RAG_LABELS,
    by_theme,
    number,
    rag_label,
)
from projections.board_pack import RAG_ORDER, BoardPack

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = number
    environment.filters["rag_label"] = rag_label
    environment.filters["month"] = pack_layout.milestone_date
    environment.filters["recorded"] = pack_layout.recorded
    environment.globals.update(
        quarters=[q.value for q in QUARTERS],
        rag_order=RAG_ORDER,
        rag_colours=RAG_COLOURS,
        rag_labels=RAG_LABELS,
        band_colours=BAND_COLOURS,
        risk_band=risk_band,
        layout=pack_layout,
        by_theme=by_theme,
    )
    return environment


def to_board_pack_html(pack: BoardPack, *, for_print: bool = False) -> str:
    """The pack as an HTML page. ``for_print``: the page WeasyPrint prints (the same
    content; only what a screen needs, such as the contents' links, differs)."""
    template = _environment().get_template("board_pack.html")
    return template.render(
        pack=pack,
        for_print=for_print,
        css=Markup((TEMPLATES / "board_pack.css").read_text(encoding="utf-8")),  # noqa: S704
        charts_rag_by_theme=[Markup(svg) for svg in charts.rag_by_theme_svgs(pack.report)],  # noqa: S704
        charts_percent=[Markup(svg) for svg in charts.percent_achieved_svgs(pack.report)],  # noqa: S704
        chart_take_up=Markup(charts.take_up_by_region_svg(pack.take_up)),  # noqa: S704
    )
