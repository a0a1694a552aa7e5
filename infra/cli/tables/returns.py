"""The return, a target's history, the diff and the year-end summary as terminal tables.

Its length: the return's table decides which columns a terminal's width can hold (minimum
widths, the documented drop order, the line naming what was left out); the other tables
reuse those pieces, so they live together.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from domain.rag import RAG_LEGEND
from infra.exports.layout import QUARTER_NAMES, by_theme, number
from projections.models import (
    HistoryEntry,
    QuarterlyReturn,
    ReturnDiff,
    TargetLine,
    YearEndSummary,
)

# Amber is "orange1": xterm colour 214 (amber) in 256 colours, bright yellow in 16. Rich
# downgrades "dark_orange" to bright red in 16 colours, where amber and red looked alike.
RAG_STYLES = {
    "green": "bold white on green",
    "amber": "bold black on orange1",
    "red": "bold white on red",
    "black": "bold white on black",
    "none": "dim",
}
QUARTER_STYLES = {"green": "green", "amber": "orange1", "red": "red", "black": "bold"}
RAG_LETTERS = {"green": "G", "amber": "A", "red": "R", "black": "B"}
COMMENTARY_HEADINGS = {
    "delivered": "What have we delivered",
    "impact": "Impact",
    "forecast": "Forecast",
}
# Column widths: the title and commentary never narrower than these (they wrap); figures
# and the RAG cell as wide as their widest content (they never wrap or get cut).
TITLE_MIN = 16
COMMENTARY_MIN = 24
COMMENTARY_WIDE = 40  # each commentary column in a table written to a file
TITLE_WIDE = 40
# What a narrow terminal drops, in this order, until the rest fits: the commentary (last
# kind first), then the quarter columns, then Target, %, Total. Code, title and RAG stay;
# narrower still, the return is printed as one line per target.
QUARTERS_GROUP = "Q1-Q4 figures"
TRAVEL_MARKS = {"better": "▲ better", "worse": "▼ worse", "same": "► same"}


def print_return(
    report: QuarterlyReturn,
    console: Console,
    *,
    commentary: Sequence[str] = ("delivered",),
) -> None:
    """The published return's layout: one table per theme, quarters as columns (each
    figure with its quarter's RAG letter), each title with its lead and board, the RAG as a
    word with its direction of travel and computed trajectory (flagged ⚠ where it differs),
    the chosen ``commentary`` kinds as columns. On a narrow terminal columns are dropped in
    a fixed order (commentary, quarters, Target, %, Total) before any would be cut, and each
    dropped column is named. A legend closes it."""
    heading = f"Quarterly return {report.year}"
    if report.as_at:
        heading += f" as at {report.as_at}"
    closed = ", ".join(report.closed_quarters) or "none"
    console.print(Text.assemble((heading, "bold"), f"  (closed quarters: {closed})"))
    columns, left_out = _columns(report, console.width, commentary)
    if "rag" not in columns:  # too narrow for any table: one line per target
        _print_lines(report, console)
    for theme, targets in by_theme(report) if "rag" in columns else ():
        table = Table(
            title=Text(theme or "No theme"),
            title_justify="left",
            title_style="bold cyan",
            expand=True,
        )
        widths = _widths(report)
        for key in columns:
            heading_of, justify, ratio = (
                _COLUMN_LOOK[key] if key in _COLUMN_LOOK else (COMMENTARY_HEADINGS[key], "left", 3)
            )
            table.add_column(
                heading_of,
                justify=justify,  # type: ignore[arg-type]
                ratio=ratio,
                no_wrap=ratio is None,
                overflow="fold",  # a long word wraps onto the next line, never cut with …
                min_width=widths.get(key, COMMENTARY_MIN),
            )
        for t in targets:
            table.add_row(*(_cell(t, key) for key in columns))
        console.print(table)
    summary = report.summary.document()
    console.print(
        f"{summary['targets']} targets: "
        + ", ".join(f"[{RAG_STYLES[rag]}] {summary[rag]} {rag} [/]" for rag in RAG_STYLES)
    )
    console.print(legend())
    if left_out:
        console.print(
            Text(
                f"Left out to fit {console.width} columns: {', '.join(left_out)} "
                "(widen the terminal, or use --format json, html or csv).",
                style="italic",
            )
        )
    restated = [t for t in report.targets if t.restatements]
    if restated:
        console.print("* restated after the quarter closed:")
        for t in restated:
            for r in t.restatements:
                console.print(
                    f"  {t.code} {r.quarter} {r.field}: {r.old} -> {r.new} "
                    f"({r.restatement_reason}; {r.actor or 'unknown'}, {r.recorded_at})",
                    markup=False,
                )


def table_width(report: QuarterlyReturn, commentary: Sequence[str]) -> int:
    """A width that fits every column of the table with ``commentary`` (at least 120): the
    width the table is written to a file at."""
    widths = _widths(report)
    needed = _needed(
        [*_FIXED_KEYS, *commentary],
        widths | {"title": TITLE_WIDE} | dict.fromkeys(commentary, COMMENTARY_WIDE),
    )
    return max(120, needed)


_COLUMN_LOOK: dict[str, tuple[str, str, int | None]] = {
    "code": ("Code", "left", None),
    "title": ("Outcome / deliverable", "left", 3),
    "target": ("Target", "right", None),
    **{quarter: (quarter, "right", None) for quarter in QUARTER_NAMES},
    "total": ("Total", "right", None),
    "percent": ("%", "right", None),
    "rag": ("RAG", "left", None),
}
_FIXED_KEYS = ["code", "title", "target", *QUARTER_NAMES, "total", "percent", "rag"]


def _widths(report: QuarterlyReturn) -> dict[str, int]:
    """Each fixed column's width: its widest cell or heading (the title: ``TITLE_MIN``)."""
    widths = {key: cell_len(look[0]) for key, look in _COLUMN_LOOK.items()}
    widths["title"] = TITLE_MIN
    for t in report.targets:
        for key in _COLUMN_LOOK:
            if key == "title":
                continue
            for line in _cell(t, key).plain.splitlines() or [""]:
                widths[key] = max(widths[key], cell_len(line))
    return widths


def _needed(keys: Sequence[str], widths: dict[str, int]) -> int:
    """The table's width with these columns: each column's width, one space of padding on
    either side and a border between and around them."""
    return sum(widths.get(key, COMMENTARY_MIN) + 3 for key in keys) + 1


def _columns(
    report: QuarterlyReturn, width: int, commentary: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The columns that fit ``width`` and the names of those left out (in column order)."""
    widths = _widths(report)
    keys = [*_FIXED_KEYS, *commentary]
    drops: list[tuple[list[str], str]] = [
        *(([kind], COMMENTARY_HEADINGS[kind]) for kind in reversed(commentary)),
        (list(QUARTER_NAMES), QUARTERS_GROUP),
        (["target"], "Target"),
        (["percent"], "%"),
        (["total"], "Total"),
        (["code", "title", "rag"], "the table (one line per target instead)"),
    ]
    dropped: list[str] = []
    for columns, name in drops:
        if _needed(keys, widths) <= width:
            break
        keys = [key for key in keys if key not in columns]
        dropped.append(name)
    order = [QUARTERS_GROUP, "Target", "Total", "%"] + [COMMENTARY_HEADINGS[k] for k in commentary]
    left_out = sorted(dropped, key=lambda name: order.index(name) if name in order else 99)
    return keys, left_out


def _cell(t: TargetLine, key: str) -> Text:
    if key == "code":
        return Text(t.code + (" *" if t.restatements else ""))
    if key == "title":
        return _title_cell(t)
    if key == "target":
        return Text(number(t.target))
    if key in QUARTER_NAMES:
        return _quarter_cell(t, key)
    if key == "total":
        return Text(number(t.total))
    if key == "percent":
        return Text(number(t.percent_achieved))
    if key == "rag":
        return _rag_cell(t)
    return _commentary_cell(t, key)


def _title_cell(t: TargetLine) -> Text:
    """The title (with its unit) and, on a second line, its lead and board."""
    cell = Text(t.title + (f" ({t.unit})" if t.unit else ""))
    owners = " · ".join(
        f"{label}: {value}" for label, value in (("Lead", t.lead), ("Board", t.board)) if value
    )
    if owners:
        cell.append("\n" + owners, style="dim")
    return cell


def _rag_cell(t: TargetLine) -> Text:
    """The stated RAG as a word, then its direction of travel and the computed trajectory,
    flagged ⚠ where it differs from the stated RAG."""
    cell = Text(f" {t.rag.upper()} ", style=RAG_STYLES[t.rag])
    travel = TRAVEL_MARKS.get(t.direction_of_travel or "")
    if travel:
        cell.append("\n" + travel)
    if t.trajectory:
        flag = " ⚠" if t.rag_disagrees else ""
        cell.append(f"\ntrajectory: {t.trajectory}{flag}", style="bold" if flag else "dim")
    return cell


def _print_lines(report: QuarterlyReturn, console: Console) -> None:
    """The return on a terminal too narrow for a table: a line per target."""
    for theme, targets in by_theme(report):
        console.print(Text(theme or "No theme", style="bold cyan"))
        for t in targets:
            console.print(
                Text.assemble(
                    (t.code, "bold"), f" {t.title} ", (f" {t.rag.upper()} ", RAG_STYLES[t.rag])
                )
            )


def legend() -> Text:
    """One line saying what each RAG word (and quarter letter) means."""
    line = Text("Legend: ")
    for n, (rag, meaning) in enumerate(RAG_LEGEND.items()):
        letter = RAG_LETTERS.get(rag.value)
        line.append(f" {rag.value.upper()} ", style=RAG_STYLES[rag.value])
        line.append(f"{f' ({letter})' if letter else ''} {_short(meaning)}")
        line.append("; " if n < len(RAG_LEGEND) - 1 else ". ")
    line.append(
        "Quarter figures carry their quarter's RAG letter; – is not reported. Under the RAG: "
        "direction of travel against the previous quarter (▲ better, ▼ worse, ► same) and the "
        "computed trajectory (is the year to date on course?), ⚠ where it differs from the "
        "stated RAG."
    )
    return line


def _short(meaning: str) -> str:
    """The legend's meaning up to its first colon or comma: one line for all five."""
    for stop in (":", ","):
        meaning = meaning.split(stop)[0]
    return meaning.lower()


def _quarter_cell(target: TargetLine, quarter: str) -> Text:
    figure = target.quarters[quarter]
    rag = target.rag_by_quarter[quarter]
    text = number(figure) if figure is not None else "–"
    letter = RAG_LETTERS.get(rag or "")
    return Text(text + (f" {letter}" if letter else ""), style=QUARTER_STYLES.get(rag or "", ""))


def _commentary_cell(target: TargetLine, kind: str) -> Text:
    """The commentary of a kind, prefixed with the quarter it was written for (and
    "carried" when it comes from an earlier quarter than the target's latest)."""
    text = getattr(target.commentary, kind)
    if text is None:
        return Text("")
    source = getattr(target.commentary_from, kind)
    if source is None:
        return Text(text)
    prefix = f"[{source.quarter}{', carried' if source.carried else ''}] "
    return Text.assemble((prefix, "dim"), text)


def print_history(entries: list[HistoryEntry], year: str, code: str, console: Console) -> None:
    """Every event of one target, oldest first, one row each."""
    table = Table(title=f"History of {code} {year}")
    table.add_column("Recorded at", no_wrap=True)
    table.add_column("Event", no_wrap=True)
    table.add_column("Quarter", no_wrap=True)
    table.add_column("Change", ratio=3)
    table.add_column("Actor", ratio=1)
    table.add_column("Reason", ratio=1)
    table.add_column("Command", ratio=1)
    for entry in entries:
        table.add_row(
            *(
                escape(cell)
                for cell in (
                    entry.recorded_at,
                    entry.event.split(".")[-1],
                    entry.quarter or "",
                    _change(entry),
                    entry.actor or "",
                    entry.reason or "",
                    entry.command_id,
                )
            )
        )
    console.print(table)


def _change(entry: HistoryEntry) -> str:
    """What the event changed, from the detail fields its kind of event carries."""
    detail = entry.model_extra or {}
    if "council" in detail:
        return f"{detail['council']} x{detail['count']} ({detail['date']})"
    if "new" in detail:
        old = "–" if detail.get("old") is None else str(detail["old"])
        kind = f"{detail['kind']}: " if "kind" in detail else ""
        change = f"{kind}{old} -> {detail['new']}"
        if detail.get("restatement_reason"):
            change += f" [restated: {detail['restatement_reason']}]"
        return change
    return str(detail.get("definition", {}).get("title", ""))


def print_diff(diff: ReturnDiff, console: Console) -> None:
    """Each changed field of each target, with who changed it, why and when."""
    table = Table(
        title=f"Changes to the {diff.year} return from {diff.since} to {diff.until or 'now'}"
    )
    for column in ("Code", "Field", "Before", "After", "Who, why, when"):
        table.add_column(
            column, max_width=24 if column in ("Before", "After") else None, overflow="fold"
        )
    for target in diff.targets:
        why = "\n".join(_who_and_why(target.events))
        for n, change in enumerate(target.changes):
            table.add_row(
                *(
                    escape(str(cell))
                    for cell in (
                        target.code if n == 0 else "",
                        change.field,
                        _shortened(change.before),
                        _shortened(change.after),
                        why if n == 0 else "",
                    )
                )
            )
        table.add_section()
    console.print(table)
    if not diff.targets:
        console.print("no target changed")


def _who_and_why(events: list[HistoryEntry]) -> list[str]:
    """Who made the changes and why: one line per person and reason (a restatement's
    reason first), with how many changes and when, so a quarter's dozens of engagements
    take a line rather than a page."""
    groups: dict[tuple[str, str], list[HistoryEntry]] = {}
    engagements = []
    for event in events:
        why = str(event.detail("restatement_reason") or event.reason or "")
        if event.event == "Engagement.Recorded" and not why:
            engagements.append(event)
        else:
            groups.setdefault((event.actor or "unknown", why), []).append(event)
    lines = []
    if engagements:
        people = len({e.actor for e in engagements})
        first, last = engagements[0].recorded_at[:10], engagements[-1].recorded_at[:10]
        lines.append(
            f"{len(engagements)} engagement{'s' if len(engagements) > 1 else ''} by {people} "
            f"{'people' if people > 1 else 'person'} ({first} to {last})"
        )
    for (actor, why), grouped in groups.items():
        first, last = grouped[0].recorded_at[:10], grouped[-1].recorded_at[:10]
        when = first if first == last else f"{first} to {last}"
        count = f"{len(grouped)} changes, " if len(grouped) > 1 else ""
        lines.append(f"{actor}{': ' + why if why else ''} ({count}{when})")
    return lines


def _shortened(value: object, limit: int = 40) -> str:
    text = "–" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_year_end(summary: YearEndSummary, console: Console) -> None:
    """The headline (N of M key targets achieved), targets counted by final RAG, then by
    achievement band."""
    if summary.headline:
        console.print(Text(f"{summary.year}: {summary.headline}", style="bold"))
    table = Table(title=f"Year-end summary {summary.year}: {summary.targets} targets")
    table.add_column("Final RAG")
    table.add_column("Targets", justify="right")
    for rag, count in summary.by_rag.items():
        table.add_row(rag, str(count))
    console.print(table)
    bands = Table()
    bands.add_column("Achievement")
    bands.add_column("Targets", justify="right")
    for band, count in summary.by_achievement.items():
        bands.add_row(band, str(count))
    console.print(bands)
