"""The terminal table: amber looks amber (not red) in 16 and 256 colours, RAG is a word (or
a letter in quarter cells) as well as a colour, a legend, ``--commentary`` choices, and a
narrow terminal names what it left out."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from infra.cli.options import CommentaryChoice
from infra.cli.tables.returns import print_return, table_width
from projections.models import (
    Commentary,
    CommentaryFrom,
    CommentarySource,
    QuarterlyReturn,
    ReturnSummary,
    TargetLine,
)


def a_return() -> QuarterlyReturn:
    line = TargetLine(
        code="PS3",
        title="Finance peer challenges",
        theme="Peer support",
        unit="peer challenges",
        aggregation="sum",
        target=10,
        quarters={"Q1": 2, "Q2": 3, "Q3": 0, "Q4": None},
        total=5,
        percent_achieved=50,
        rag="amber",
        rag_by_quarter={"Q1": "green", "Q2": "amber", "Q3": "red", "Q4": None},
        commentary=Commentary(delivered="Two delivered", impact="Councils saved", forecast="9"),
        commentary_from=CommentaryFrom(
            delivered=CommentarySource(quarter="Q3", carried=False),
            impact=CommentarySource(quarter="Q1", carried=True),
            forecast=CommentarySource(quarter="Q3", carried=False),
        ),
        restatements=[],
    )
    return QuarterlyReturn(
        year="2016/17",
        as_at=None,
        closed_quarters=["Q1"],
        targets=[line],
        summary=ReturnSummary.of([line]),
    )


def drawn(width: int, color_system: str | None = None, **options: object) -> str:
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system=color_system,  # type: ignore[arg-type]
        force_terminal=color_system is not None,
        legacy_windows=False,
    )
    print_return(a_return(), console, **options)  # type: ignore[arg-type]
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def drawn_in_a_terminal(color_system: str) -> str:
    """The table as a terminal of ``color_system`` gets it, drawn in a process of its own:
    rich keeps a style's escape codes for the first colour system it met, as a process
    that draws for one terminal may."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tests.unit.test_return_table import drawn; "
            f"sys.stdout.write(drawn(160, {color_system!r}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_amber_is_amber_in_16_colours_not_red() -> None:
    output = drawn_in_a_terminal("standard")
    amber = output[: output.index(" AMBER ")].rsplit("\x1b[", 1)[-1]
    red_backgrounds = ("41m", "101m", ";41", ";101")
    assert not any(code in amber for code in red_backgrounds), amber
    assert "103" in amber or "43" in amber  # (bright) yellow: the 16-colour amber


def test_amber_is_orange_in_256_colours() -> None:
    output = drawn_in_a_terminal("256")
    amber = output[: output.index(" AMBER ")].rsplit("\x1b[", 1)[-1]
    assert "48;5;214" in amber  # xterm 214, orange1
    assert "48;5;208" not in amber


def test_rag_is_a_word_and_quarters_carry_letters_without_colour() -> None:
    output = drawn(160)
    assert " AMBER " in output
    for cell in ("2 G", "3 A", "0 R"):
        assert cell in output
    assert "Legend:" in output
    for word in ("GREEN", "AMBER", "RED", "BLACK", "NONE"):
        assert word in output.split("Legend:")[1]


@pytest.mark.parametrize(
    ("choice", "shown", "hidden"),
    [
        (CommentaryChoice.delivered, ["Two delivered"], ["Councils saved"]),
        (CommentaryChoice.impact, ["[Q1, carried] Councils saved"], ["Two delivered"]),
        (CommentaryChoice.forecast, ["Forecast"], ["Two delivered", "Councils saved"]),
        (CommentaryChoice.all, ["Two delivered", "Councils saved", "Forecast"], []),
    ],
)
def test_commentary_choices(choice: CommentaryChoice, shown: list[str], hidden: list[str]) -> None:
    output = drawn(220, commentary=choice.kinds)
    for text in shown:
        assert text in output
    for text in hidden:
        assert text not in output
    assert "Left out" not in output


def test_a_narrow_terminal_names_the_columns_it_left_out() -> None:
    output = drawn(125, commentary=CommentaryChoice.all.kinds)
    assert "Left out to fit 125 columns: Impact, Forecast" in output
    narrow = " ".join(drawn(60).split())  # the notice wraps at 60 columns
    assert "Left out to fit 60 columns: Q1-Q4 figures, What have we delivered" in narrow


def a_return_with_owners() -> QuarterlyReturn:
    report = a_return()
    line = report.targets[0].model_copy(
        update={
            "lead": "Brian Reynolds",
            "board": "Improvement Board",
            "direction_of_travel": "worse",
            "trajectory": "green",
            "rag_disagrees": True,
            "quarters": {"Q1": 1234567.125, "Q2": 3, "Q3": 0, "Q4": None},
            "total": 1234570.125,
        }
    )
    return report.model_copy(update={"targets": [line]})


def draw(report: QuarterlyReturn, width: int, **options: object) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    print_return(report, console, **options)  # type: ignore[arg-type]
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def test_each_target_shows_lead_board_travel_and_a_flagged_trajectory() -> None:
    output = draw(a_return_with_owners(), 200)
    assert "Lead: Brian Reynolds · Board: Improvement Board" in " ".join(output.split())
    assert "▼ worse" in output
    assert "trajectory: green ⚠" in output
    assert "▲ better, ▼ worse, ► same" in " ".join(output.split())


@pytest.mark.parametrize("width", [20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160, 200])
def test_no_column_is_crushed_and_every_dropped_column_is_named(width: int) -> None:
    output = draw(a_return_with_owners(), width, commentary=CommentaryChoice.all.kinds)
    table = output.split("Legend:")[0]
    assert "…" not in table  # no heading or figure cut short
    assert max(len(line) for line in output.splitlines()) <= width
    flat = " ".join(output.split())
    named = flat.split("Left out to fit")[1] if "Left out to fit" in flat else ""
    for heading, shown in (
        ("Q1-Q4 figures", "1,234,567.125"),
        ("Total", "1,234,570.125"),
        ("What have we delivered", "Two delivered"),
        ("Forecast", "┃ Forecast"),
    ):
        assert (shown in output) != (heading in named), (heading, width)


def test_a_table_written_to_a_file_is_wide_enough_for_every_column() -> None:
    report = a_return_with_owners()
    width = table_width(report, CommentaryChoice.all.kinds)
    assert width >= 120
    assert "Left out" not in draw(report, width, commentary=CommentaryChoice.all.kinds)


def test_a_word_longer_than_its_column_wraps_rather_than_being_cut() -> None:
    report = a_return()
    word = "=HYPERLINK(" + "x" * 60 + ")"
    line = report.targets[0].model_copy(update={"title": word})
    output = draw(report.model_copy(update={"targets": [line]}), 70)
    assert "…" not in output
    cells = [row.split("│")[2].strip() for row in output.splitlines() if row.count("│") > 3]
    assert word in "".join(cells)
