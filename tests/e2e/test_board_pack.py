"""``quarterly board-pack`` and its HTTP route for the demo year, on both stores: the XLSX
opened with openpyxl (sheets, headers, charts, values equal to ``report --format json``),
the PDF rendered to PNG pages with pdftoppm and read with pdftotext (every section there),
the HTML escaping stored text, and who may fetch the pack over HTTP."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from openpyxl import load_workbook

from tests.builders import comment, define, jsonl
from tests.conftest import PG_DSN
from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

# One worker runs this module (make test: --dist loadgroup), so its module-scoped store
# per kind is set up once, not again each time xdist hands it a test of the other kind.
pytestmark = pytest.mark.xdist_group("board-pack")

SECTIONS = (
    "Summary",
    "RAG legend",
    "Charts",
    "The return",
    "Major projects and milestones",
    "Risk register",
    "Take-up by region",
    "Restatements",
)
SHEETS = ["Summary", "Return", "Milestones", "Risks", "Take-up", "Restatements"]
RAG_WORDS = {
    "Green": "green",
    "Amber": "amber",
    "Red": "red",
    "Black (N/A)": "black",
    "Not assessed": "none",
}


@dataclass(frozen=True)
class Pack:
    store: str
    folder: Path
    report: dict[str, Any]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_pack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pack]:
    """The demo year in a store of each kind, and its pack in every format, made once."""
    folder = tmp_path_factory.mktemp(f"pack-{request.param}")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    store = (
        f"sqlite:///{folder / 'quarterly.db'}"
        if request.param == "sqlite"
        else f"{PG_DSN}?schema={schema}"
    )
    try:
        assert quarterly("demo", store=store).code == 0
        for pack_format in ("xlsx", "html", "pdf"):
            run = quarterly(
                "board-pack", "--year", "2016/17", "--format", pack_format,
                "--out", str(folder / f"pack.{pack_format}"), store=store,
            )  # fmt: skip
            assert run.code == 0, run.stderr
        report = json.loads(
            quarterly("report", "--year", "2016/17", "--format", "json", store=store).stdout
        )
        yield Pack(store, folder, report)
    finally:
        if request.param == "postgresql":
            with psycopg.connect(PG_DSN, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_the_workbook_has_a_sheet_per_section_with_the_reports_values(demo_pack: Pack) -> None:
    book = load_workbook(demo_pack.folder / "pack.xlsx")
    assert book.sheetnames == SHEETS
    sheet = book["Return"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Theme", "Code", "Outcome / deliverable"]
    assert all(" " in h or h[0].isupper() for h in headers)  # human headers, not field names
    assert "percent_achieved" not in headers
    assert "rag_Q1" not in headers
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    column = {h: n for n, h in enumerate(headers)}
    rows = {row[column["Code"]].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == len(demo_pack.report["targets"])
    for target in demo_pack.report["targets"]:
        row = rows[target["code"]]
        assert row[column["Outcome / deliverable"]].value == target["title"]
        assert row[column["Lead"]].value == target["lead"]
        assert row[column["Annual target"]].value == target["target"]
        for quarter, figure in target["quarters"].items():
            assert row[column[quarter]].value == figure
            rag = row[column[f"{quarter} RAG"]].value
            assert (RAG_WORDS[rag] if rag else None) == target["rag_by_quarter"][quarter]
        assert row[column["Year figure"]].value == target["total"]
        assert row[column["Percent achieved"]].value == target["percent_achieved"]
        rag_cell = row[column["RAG"]]
        assert RAG_WORDS[rag_cell.value] == target["rag"]
        assert row[column["What have we delivered"]].value == target["commentary"]["delivered"]
        if target["rag"] == "black":  # readable: white on black
            assert rag_cell.fill.start_color.rgb.endswith("0B0C0C")
            assert rag_cell.font.color.rgb.endswith("FFFFFF")
    summary = book["Summary"]
    assert len(summary._charts) == 2  # RAG by theme, percent achieved (native charts)
    assert any("key targets achieved" in str(c.value) for c in summary["A"])
    for name in SHEETS[1:]:
        assert book[name]["A1"].font.bold
        assert book[name].freeze_panes in {"A2", "D2"}  # the header row stays in view


def test_the_pdf_has_numbered_pages_and_every_section(demo_pack: Pack) -> None:
    pdf = demo_pack.folder / "pack.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert 5 <= pages <= 40
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(pdf), str(demo_pack.folder / "page")], check=True
    )
    assert len(list(demo_pack.folder.glob("page-*.png"))) == pages
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for section in SECTIONS:
        assert section in text, section
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert "key targets achieved" in text
    # A theme's table that runs onto the next page repeats its header row there.
    themes = {t["theme"] for t in demo_pack.report["targets"]}
    assert text.count("Outcome /") > len(themes)
    for target in demo_pack.report["targets"]:
        assert target["code"] in text


def test_the_html_pack_has_every_section_and_inline_charts(demo_pack: Pack) -> None:
    page = (demo_pack.folder / "pack.html").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f">{section}</h2>" in page
    assert page.count("<svg") == 3
    assert "thead { display: table-header-group; }" in page
    assert "size: A4 landscape" in page


def test_a_pack_for_a_quarter_is_as_at_its_close_and_an_open_quarter_is_refused(
    demo_pack: Pack,
) -> None:
    out = demo_pack.folder / "q1.html"
    run = quarterly(
        "board-pack", "--year", "2016/17", "--quarter", "Q1", "--format", "html",
        "--out", str(out), store=demo_pack.store,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    page = " ".join(out.read_text(encoding="utf-8").split())
    assert "when Q1 was closed" in page
    assert "Closed quarters: Q1." in page  # as at that close: Q2 and Q3 had not closed
    refused = quarterly(
        "board-pack", "--year", "2016/17", "--quarter", "Q4", "--format", "pdf",
        "--out", str(demo_pack.folder / "q4.pdf"), store=demo_pack.store,
    )  # fmt: skip
    assert refused.code == 2
    assert "quarter: Q4 of 2016/17 has not closed" in refused.stderr


def test_the_cli_names_its_options_and_refuses_a_year_without_targets(demo_pack: Pack) -> None:
    out = demo_pack.folder / "none.html"
    empty = quarterly(
        "board-pack", "--year", "2019/20", "--format", "html", "--out", str(out),
        store=demo_pack.store,
    )  # fmt: skip
    assert empty.code == 2
    assert empty.stderr.strip() == "error: --year: no targets are defined for 2019/20"
    assert not out.exists()
    blank = quarterly(
        "board-pack", "--year", "2016/17", "--quarter", "", "--format", "html", "--out",
        str(out), store=demo_pack.store,
    )  # fmt: skip
    assert blank.code == 2
    assert "--quarter: '' is not a quarter" in blank.stderr
    odd = demo_pack.folder / "misnamed.pdf"
    misnamed = quarterly(
        "board-pack", "--year", "2016/17", "--format", "xlsx", "--out", str(odd),
        store=demo_pack.store,
    )  # fmt: skip
    assert misnamed.code == 0
    assert "does not end in .xlsx" in misnamed.stderr
    assert "Warning" not in misnamed.stderr  # no library warnings (matplotlib, WeasyPrint)


def test_board_pack_over_http_is_for_auditors_and_admins(demo_pack: Pack) -> None:
    tokens = {
        role: make_token(demo_pack.store, role, f"{role}-{uuid.uuid4().hex[:6]}",
                         team="Improvement through peer support" if role == "recorder" else None)
        for role in ("recorder", "auditor", "admin")
    }  # fmt: skip
    with serving(demo_pack.store, log=demo_pack.folder / "serve.log") as base:

        def get(role: str, **params: str) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            return httpx.get(
                f"{base}/api/v1/years/2016-17/board-pack", params=params, headers=headers,
                timeout=60,
            )  # fmt: skip

        refused = get("recorder", format="xlsx")
        assert refused.status_code == 403
        assert "auditors and admins" in refused.json()["error"]
        pdf = get("auditor", format="pdf")
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"] == (
            'attachment; filename="board-pack-2016-17.pdf"'
        )
        xlsx = get("admin", format="xlsx", quarter="Q2")
        assert xlsx.status_code == 200
        assert xlsx.content.startswith(b"PK")
        assert "board-pack-2016-17-Q2.xlsx" in xlsx.headers["content-disposition"]
        html = get("auditor", format="html")
        assert html.headers["content-type"] == "text/html; charset=utf-8"
        unknown = get("auditor", format="docx")
        assert unknown.status_code == 422
        assert unknown.json() == {
            "error": "'docx' is not a board-pack format; use xlsx, html or pdf",
            "field": "format",
        }
        still_open = get("auditor", format="html", quarter="Q4")
        assert still_open.status_code == 422
        assert still_open.json()["field"] == "quarter"
        assert "--quarter" not in still_open.json()["error"]  # HTTP has no options
        missing = get("auditor")
        assert (missing.status_code, missing.json()["field"]) == (422, "format")
        headers = {"Authorization": f"Bearer {tokens['auditor']}"}
        twice = httpx.get(
            f"{base}/api/v1/years/2016-17/board-pack?format=pdf&format=html", headers=headers
        )
        assert (twice.status_code, twice.json()["field"]) == (422, "format")
        assert "once" in twice.json()["error"]
        huge = get("auditor", format="x" * 5000)
        assert huge.status_code == 422
        assert len(huge.json()["error"]) < 200
        empty_year = httpx.get(
            f"{base}/api/v1/years/2019-20/board-pack?format=html", headers=headers, timeout=60
        )
        assert empty_year.status_code == 404
        assert empty_year.json() == {
            "error": "no targets are defined for 2019/20",
            "field": "year",
        }


def test_stored_markup_is_escaped_in_the_html_and_never_a_formula_in_the_workbook(
    store_url: str, tmp_path: Path
) -> None:
    script = "<script>alert('pack')</script>"
    commands = tmp_path / "hostile.jsonl"
    commands.write_text(
        jsonl(
            [
                define("XS1", title=script, theme=f"{script} theme", lead='=HYPERLINK("x")'),
                comment(code="XS1", text=f"{script} & more"),
            ]
        )
    )
    assert quarterly("import", str(commands), store=store_url).code == 0
    html, xlsx = tmp_path / "pack.html", tmp_path / "pack.xlsx"
    for out in (html, xlsx):
        run = quarterly(
            "board-pack", "--year", "2016/17", "--format", out.suffix[1:], "--out", str(out),
            store=store_url,
        )  # fmt: skip
        assert run.code == 0, run.stderr
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;pack&#39;)&lt;/script&gt;" in page
    sheet = load_workbook(xlsx)["Return"]
    lead = next(cell for cell in sheet[2] if str(cell.value).startswith("=HYPERLINK"))
    assert lead.data_type == "s"


def test_report_table_with_out_writes_the_table_as_plain_text(demo_pack: Pack) -> None:
    out = demo_pack.folder / "return.txt"
    run = quarterly(
        "report", "--year", "2016/17", "--format", "table", "--commentary", "all",
        "--out", str(out), store=demo_pack.store,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Quarterly return 2016/17")
    assert "\x1b[" not in text  # no colour codes in a file
    assert "Legend:" in text
    assert not text.lstrip().startswith("{")  # never the JSON document
    bad = quarterly(
        "report", "--year", "2016/17", "--commentary", "everything", store=demo_pack.store
    )
    assert bad.code == 2
    assert "--commentary" in bad.stderr
