"""The board pack's charts as SVG text, drawn with matplotlib's object API (a ``Figure`` of
its own per chart, the Agg-family SVG backend, never pyplot's global state), for the HTML
and PDF packs and, later, the web pages. One public function per chart; each takes the
typed read models and returns an ``<svg>`` element (no XML prolog), ready to inline.

A chart of many targets or themes is drawn as several charts of at most ``PER_CHART`` bars
each, so that every chart fits one printed page (A4 landscape).

Output is deterministic: a fixed ``svg.hashsalt`` per chart and every ``id`` (with the
``url(#…)`` and ``href="#…"`` that point at it) prefixed with the chart's own name, so the
ids of charts inlined in one page never collide; no date in the metadata, text kept as text
(``svg.fonttype: none``: searchable, and drawn in the page's font). Each bar carries its
number and each RAG a hatch as well as a colour, so the charts read in greyscale.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from typing import TypeVar

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from infra.exports.layout import RAG_COLOURS, RAG_LABELS
from projections.board_pack import RAG_ORDER, ThemeRag, rag_by_theme
from projections.models import QuarterlyReturn, TakeUp, TargetLine

# Colour is never the only carrier: a hatch per RAG as well (green plain).
RAG_HATCHES = {"green": "", "amber": "//", "red": "xx", "black": "..", "none": "--"}
_INK = "#0B0C0C"
_Bar = TypeVar("_Bar")
# Bars per chart: 20 bars of two-line labels and the legend fit an A4 landscape page.
PER_CHART = 20


def _parts(items: Sequence[_Bar], size: int) -> list[Sequence[_Bar]]:
    return [items[start : start + size] for start in range(0, len(items), size)] or [items]


def rag_by_theme_svgs(report: QuarterlyReturn, per_chart: int = PER_CHART) -> list[str]:
    """Targets by stated RAG within each theme: one stacked horizontal bar per theme, each
    segment labelled with its count, a legend naming the RAGs; one chart per ``per_chart``
    themes (at least one chart)."""
    themes = rag_by_theme(report.targets)
    return [
        _rag_by_theme(part, f"rag-by-theme-{number}")
        for number, part in enumerate(_parts(themes, per_chart), start=1)
    ]


def _rag_by_theme(themes: Sequence[ThemeRag], name: str) -> str:
    figure = _figure(width=9.5, height=1.0 + 0.55 * max(len(themes), 1))
    axes = figure.add_subplot()
    names = [_label(theme.theme or "No theme", 38) for theme in themes]
    positions = list(range(len(themes)))
    left = [0] * len(themes)
    for rag in RAG_ORDER:
        counts = [theme.count(rag) for theme in themes]
        if not any(counts):
            continue
        background, ink = RAG_COLOURS[rag]
        bars = axes.barh(
            positions,
            counts,
            left=left,
            color=background,
            edgecolor=_INK,
            linewidth=0.6,
            hatch=RAG_HATCHES[rag],
            label=RAG_LABELS[rag],
        )
        for bar, count in zip(bars, counts, strict=True):
            if count:
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(count),
                    ha="center",
                    va="center",
                    color=ink,
                    fontsize=8,
                    fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "fc": background, "ec": "none"},
                )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    axes.set_xlabel("Targets")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if axes.get_legend_handles_labels()[1]:  # a legend only when there is something to name
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=5, frameon=False)
    _tidy(axes)
    return _svg(figure, name)


def percent_achieved_svgs(report: QuarterlyReturn, per_chart: int = PER_CHART) -> list[str]:
    """Percent achieved of each target that has one, as horizontal bars coloured (and
    hatched) by the target's stated RAG, each labelled with its percentage; a line at 100%.
    Bars past 150% are drawn to 150% and say so in their label (242% is still 242%). One
    chart per ``per_chart`` targets, in the return's order (at least one chart)."""
    targets = [t for t in report.targets if t.percent_achieved is not None]
    return [
        _percent_achieved(part, f"percent-achieved-{number}")
        for number, part in enumerate(_parts(targets, per_chart), start=1)
    ]


def _percent_achieved(targets: Sequence[TargetLine], name: str) -> str:
    figure = _figure(width=9.5, height=1.2 + 0.24 * max(len(targets), 1))
    axes = figure.add_subplot()
    cap = 150
    positions = list(range(len(targets)))
    for position, target in zip(positions, targets, strict=True):
        percent = target.percent_achieved or 0
        background, _ = RAG_COLOURS[target.rag]
        axes.barh(
            position,
            max(min(percent, cap), 0),
            color=background,
            edgecolor=_INK,
            linewidth=0.5,
            hatch=RAG_HATCHES[target.rag],
        )
        axes.text(
            max(min(percent, cap), 0) + 1.5,
            position,
            f"{percent}%" + (" (beyond the scale)" if percent > cap else ""),
            va="center",
            fontsize=7,
            color=_INK,
        )
    axes.set_yticks(positions, [_label(f"{t.code}  {t.title}", 46) for t in targets])
    axes.tick_params(axis="y", labelsize=7)
    axes.invert_yaxis()
    axes.axvline(100, color=_INK, linewidth=1, linestyle="--")
    axes.set_xlim(0, cap + 25)
    axes.set_xlabel("Percent of the annual target achieved (dashed line: 100%)")
    handles = [
        Patch(facecolor=RAG_COLOURS[rag][0], edgecolor=_INK, hatch=RAG_HATCHES[rag], label=label)
        for rag, label in RAG_LABELS.items()
        if any(t.rag == rag for t in targets)
    ]
    if handles:
        axes.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=5, frameon=False
        )
    _tidy(axes)
    return _svg(figure, name)


def take_up_by_region_svg(take_up: TakeUp) -> str:
    """Percent of each region's councils engaged during the year, as horizontal bars
    labelled "engaged of councils (percent)"; regions without councils are left out."""
    regions = [r for r in take_up.by_region if r.councils]
    figure = _figure(width=9.5, height=1.0 + 0.4 * max(len(regions), 1))
    axes = figure.add_subplot()
    positions = list(range(len(regions)))
    percents = [r.percent or 0 for r in regions]
    axes.barh(positions, percents, color="#1D70B8", edgecolor=_INK, linewidth=0.5)
    for position, region in zip(positions, regions, strict=True):
        axes.text(
            (region.percent or 0) + 1,
            position,
            f"{region.engaged} of {region.councils} ({region.percent or 0}%)",
            va="center",
            fontsize=8,
            color=_INK,
        )
    axes.set_yticks(positions, [_label(r.region, 30) for r in regions])
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("Percent of the region's councils engaged")
    if not regions:
        axes.text(50, 0, "No council register loaded", ha="center", va="center")
    _tidy(axes)
    return _svg(figure, "take-up-by-region")


def _figure(*, width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.patch.set_alpha(0)
    return figure


def _tidy(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_parse_math(False)  # stored text with "$" is text, not mathematics


def _label(text: str, width: int) -> str:
    """A stored name as a tick label: wrapped, at most two lines."""
    lines = textwrap.wrap(text, width) or [""]
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def _svg(figure: Figure, salt: str) -> str:
    out = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"quarterly-{salt}", "svg.fonttype": "none"}):
        _plain_text(figure.findobj(Text))
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    return _own_ids(svg[svg.index("<svg") :], salt)


_ID = re.compile(r'(\bid=")([^"]+)(")|(url\(#)([^)]+)(\))|(href="#)([^"]+)(")')


def _own_ids(svg: str, prefix: str) -> str:
    """``svg`` with every id, and every ``url(#…)``/``href="#…"`` naming one, prefixed
    ``prefix-``: charts inlined in one HTML page must not share ids."""

    def prefixed(match: re.Match[str]) -> str:
        groups = [g for g in match.groups() if g is not None]
        return f"{groups[0]}{prefix}-{groups[1]}{groups[2]}"

    return _ID.sub(prefixed, svg)


def _plain_text(texts: Sequence[object]) -> None:
    for text in texts:
        if isinstance(text, Text):
            text.set_parse_math(False)
