"""The return, a target's history, the diff and the year-end summary as terminal tables."""

from __future__ import annotations

from collections.abc import Sequence

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
# Columns the table needs before any commentary, and what each commentary column adds.
BASE_WIDTH = 90
COMMENTARY_WIDTH = 30
QUARTERS_FROM = 72  # narrower than this, the quarter columns are left out too


def print_return(
    report: QuarterlyReturn,
    console: Console,
    *,
    commentary: Sequence[str] = ("delivered",),
) -> None:
    """The published return's layout: one table per theme, quarters as columns (each
    figure with its quarter's RAG letter), the RAG as a word, the chosen ``commentary``
    kinds as columns where the terminal is wide enough; what does not fit is named, never
    dropped silently. A legend of the RAG words closes it."""
    heading = f"Quarterly return {report.year}"
    if report.as_at:
        heading += f" as at {report.as_at}"
    closed = ", ".join(report.closed_quarters) or "none"
    console.print(f"[bold]{heading}[/]  (closed quarters: {closed})")
    fits = max(0, (console.width - BASE_WIDTH) // COMMENTARY_WIDTH)
    shown = list(commentary[:fits])
    with_quarters = console.width >= QUARTERS_FROM
    left_out = [COMMENTARY_HEADINGS[kind] for kind in commentary[fits:]]
    if not with_quarters:
        left_out.insert(0, "Q1-Q4 figures")
    for theme, targets in by_theme(report):
        table = Table(
            title=Text(theme or "No theme"),
            title_justify="left",
            title_style="bold cyan",
            expand=True,
        )
        table.add_column("Code", no_wrap=True, min_width=5)
        table.add_column("Outcome / deliverable", ratio=3)
        table.add_column("Target", justify="right", no_wrap=True)
        if with_quarters:
            for quarter in QUARTER_NAMES:
                table.add_column(quarter, justify="right", no_wrap=True)
        table.add_column("Total", justify="right", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
        table.add_column("RAG", justify="center", no_wrap=True)
        for kind in shown:
            table.add_column(COMMENTARY_HEADINGS[kind], ratio=3)
        for t in targets:
            row: list[str | Text] = [
                Text(t.code + (" *" if t.restatements else "")),
                Text(t.title + (f" ({t.unit})" if t.unit else "")),
                number(t.target),
            ]
            if with_quarters:
                row += [_quarter_cell(t, q) for q in QUARTER_NAMES]
            row += [
                number(t.total),
                number(t.percent_achieved),
                Text(f" {t.rag.upper()} ", style=RAG_STYLES[t.rag]),
            ]
            row += [_commentary_cell(t, kind) for kind in shown]
            table.add_row(*row)
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


def legend() -> Text:
    """One line saying what each RAG word (and quarter letter) means."""
    line = Text("Legend: ")
    for n, (rag, meaning) in enumerate(RAG_LEGEND.items()):
        letter = RAG_LETTERS.get(rag.value)
        line.append(f" {rag.value.upper()} ", style=RAG_STYLES[rag.value])
        line.append(f"{f' ({letter})' if letter else ''} {_short(meaning)}")
        line.append("; " if n < len(RAG_LEGEND) - 1 else ". ")
    line.append("Quarter figures carry their quarter's RAG letter; – is not reported.")
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
