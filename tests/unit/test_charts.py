"""The board pack's charts: SVG text, the same bytes every time, stored text drawn as text
(never markup, never mathematics), and no pyplot."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from infra.exports.charts import (
    percent_achieved_svgs,
    rag_by_theme_svgs,
    take_up_by_region_svg,
)
from projections.models import (
    Commentary,
    QuarterlyReturn,
    RegionTakeUp,
    ReturnSummary,
    TakeUp,
    TargetLine,
)

HOSTILE = "<b>$x^2$</b> & co"


def line(code: str, rag: str, percent: int | None, theme: str = HOSTILE) -> TargetLine:
    return TargetLine(
        code=code,
        title=f"Target {code}",
        theme=theme,
        unit=None,
        aggregation="sum",
        target=100,
        quarters={"Q1": percent, "Q2": None, "Q3": None, "Q4": None},
        total=percent,
        percent_achieved=percent,
        rag=rag,
        rag_by_quarter={"Q1": rag, "Q2": None, "Q3": None, "Q4": None},
        commentary=Commentary(delivered=None, impact=None, forecast=None),
        restatements=[],
    )


def a_return() -> QuarterlyReturn:
    targets = [
        line("A1", "green", 120),
        line("A2", "amber", 80),
        line("B1", "red", 242, "Second theme"),
        line("B2", "none", None, "Second theme"),
    ]
    return QuarterlyReturn(
        year="2016/17",
        as_at=None,
        closed_quarters=[],
        targets=targets,
        summary=ReturnSummary.of(targets),
    )


def a_take_up() -> TakeUp:
    return TakeUp(
        year="2016/17", as_at=None, code=None, kind=None, register_loaded=True,
        councils=20, engaged=9, percent=45, engagements=30, first_time=2,
        by_region=[
            RegionTakeUp(region="North East", councils=12, engaged=8, percent=67, engagements=20),
            RegionTakeUp(region="London", councils=8, engaged=1, percent=13, engagements=10),
        ],
        by_type=[], by_kind=[], zero_take_up=[], first_time_councils=[],
    )  # fmt: skip


def test_charts_are_deterministic_svg_with_their_labels() -> None:
    report, take_up = a_return(), a_take_up()
    drawings: list[tuple[Callable[[], str], list[str]]] = [
        (lambda: rag_by_theme_svgs(report)[0], ["Second theme", "Green", "Amber", "Red"]),
        (lambda: percent_achieved_svgs(report)[0], ["A1", "120%", "242% (beyond the scale)"]),
        (lambda: take_up_by_region_svg(take_up), ["North East", "8 of 12 (67%)", "London"]),
    ]
    for draw, labels in drawings:
        svg = draw()
        assert svg.startswith("<svg")
        assert svg == draw()
        assert "<dc:date>" not in svg
        for label in labels:
            assert label in svg, label


def test_stored_text_is_escaped_and_not_mathematics() -> None:
    svg = rag_by_theme_svgs(a_return())[0]
    assert "<b>" not in svg
    assert "&lt;b&gt;$x^2$&lt;/b&gt; &amp; co" in svg


def test_no_chart_loads_pyplot() -> None:
    probe = (
        "import sys; from tests.unit.test_charts import a_return, a_take_up; "
        "from infra.exports import charts; charts.rag_by_theme_svgs(a_return()); "
        "charts.percent_achieved_svgs(a_return()); charts.take_up_by_region_svg(a_take_up()); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_many_targets_are_split_into_charts_whose_ids_never_collide() -> None:
    report = a_return()
    many = [t.model_copy(update={"code": f"T{n}"}) for n in range(45) for t in report.targets[:1]]
    charts = percent_achieved_svgs(report.model_copy(update={"targets": many}))
    assert len(charts) == 3  # 20, 20 and 5 targets
    assert all(len(re.findall(r"<g id=\"patch_\d+\"|id=\"[^\"]*patch_\d+\"", c)) for c in charts)
    ids = [i for c in [*charts, *rag_by_theme_svgs(report)] for i in re.findall(r'id="([^"]+)"', c)]
    assert len(ids) == len(set(ids))
    for chart in charts:
        for reference in re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", chart):
            assert f'id="{reference[0] or reference[1]}"' in chart


def test_the_pages_chart_is_drawn_once_per_distinct_figures(monkeypatch: Any) -> None:
    """A kind that matches nothing, or any other field the chart does not draw, reuses the
    chart already drawn; new figures draw anew."""
    import infra.exports.charts as export_charts
    from infra.web import charts as page_charts

    drawn: list[TakeUp] = []

    def draw(take_up: TakeUp) -> str:
        drawn.append(take_up)
        return f"<svg>{len(drawn)}</svg>"

    monkeypatch.setattr(export_charts, "take_up_by_region_svg", draw)
    monkeypatch.setattr(page_charts, "_drawn", type(page_charts._drawn)())
    first = a_take_up()
    assert page_charts.take_up_by_region(first) == "<svg>1</svg>"
    other_kind = first.model_copy(update={"kind": "nothing of the kind", "engagements": 0})
    assert page_charts.take_up_by_region(other_kind) == "<svg>1</svg>"
    region = first.by_region[0].model_copy(update={"engaged": 9})
    changed = first.model_copy(update={"by_region": [region, *first.by_region[1:]]})
    assert page_charts.take_up_by_region(changed) == "<svg>2</svg>"
    assert len(drawn) == 2
