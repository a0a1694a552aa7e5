"""Nothing anyone was allowed to store can break what others read: for any sequence of
commands, whatever was accepted leaves every report format, the diff, history, the
worker's jobs, the year-end summary and a rebuild working, on both stores."""

from __future__ import annotations

import io
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from application.commands import parse_command
from domain.errors import Refused
from infra.cli.tables.returns import print_return
from infra.exports.csv_export import to_csv
from infra.exports.html_export import to_html
from infra.exports.json_document import to_json
from infra.exports.xlsx_export import to_xlsx
from infra.store import Store, open_store
from projections.quarterly_return import read_return
from projections.registers import read_history, read_milestones, read_risks
from projections.return_diff import diff_returns
from projections.runner import ProjectionRunner
from tests.builders import define
from tests.conftest import PG_DSN, _drop_schema
from workers.jobs import PendingJobs

YEARS = ["2016/17", "2017/18"]
AWKWARD_TEXT = ["\x00", "soft\x0bbreak", "=1+1", "\ud800", "a\r\nb", "é\u2028✓", " A ", ""]

# Mostly values that are accepted, so that what is stored is varied; sometimes anything.
texts = st.one_of(st.sampled_from(AWKWARD_TEXT), st.text(max_size=20))
numbers = st.one_of(
    st.integers(min_value=1, max_value=200),
    st.sampled_from([10**400, 1e28, 0.1 + 0.2, 2.5, 10**12, 10**15, -1, 0]),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)
codes = st.one_of(st.sampled_from(["A", "B", "A", "B", "a", "A "]), texts)
quarters = st.one_of(st.sampled_from(["Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"]), texts)
days = st.one_of(
    st.dates(min_value=date(2016, 4, 1), max_value=date(2018, 3, 31)).map(date.isoformat),
    texts,
)
maybe = st.one_of(st.none(), texts)


def _command(kind: str, fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {"type": st.just(kind), "id": st.one_of(st.uuids().map(str), st.uuids().map(str), texts)}
        | fields,
        optional={"reason": maybe, "restatement_reason": maybe, "actor": maybe},
    )


commands = st.one_of(
    _command(
        "define_target",
        {
            "year": st.sampled_from(YEARS),
            "code": codes,
            "title": texts,
            "aggregation": st.sampled_from(["sum", "latest", "max", "median"]),
            "target": st.one_of(st.none(), numbers),
            "theme": maybe,
            "unit": maybe,
        },
    ),
    _command(
        "record_engagement",
        {
            "year": st.sampled_from(YEARS),
            "code": codes,
            "date": days,
            "council": texts,
            "count": numbers,
            "notes": maybe,
        },
    ),
    _command(
        "report_figure",
        {"year": st.sampled_from(YEARS), "code": codes, "quarter": quarters, "value": numbers},
    ),
    _command(
        "set_rag",
        {
            "year": st.sampled_from(YEARS),
            "code": codes,
            "quarter": quarters,
            "rag": st.sampled_from(["green", "amber", "red", "black", "none", "purple"]),
        },
    ),
    _command(
        "comment",
        {
            "year": st.sampled_from(YEARS),
            "code": codes,
            "quarter": quarters,
            "kind": st.sampled_from(["delivered", "impact", "forecast"]),
            "text": texts,
        },
    ),
    _command("define_milestone", {"project": texts, "milestone": texts, "due": days}),
    _command("revise_milestone", {"project": texts, "milestone": texts, "revised_due": days}),
    _command("assess_risk", {"ref": texts, "impact": numbers, "likelihood": numbers}),
    _command("close_quarter", {"year": st.sampled_from(YEARS), "quarter": quarters}),
)

BASELINE = [
    define(code, year=year, id=f"base-{year}-{code}", theme=None, target=10)
    for year in YEARS
    for code in ("A", "B")
]


@contextmanager
def _fresh(kind: str) -> Iterator[Store]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:///{folder}/property.db")
            try:
                yield store
            finally:
                store.close()
        return
    schema = f"prop_{uuid.uuid4().hex[:12]}"
    store = open_store(f"{PG_DSN}?schema={schema}")
    try:
        yield store
    finally:
        store.close()
        _drop_schema(schema)


def _read_everything(store: Store) -> dict[str, Any]:
    runner = ProjectionRunner(store.ledger, store.read_models)
    runner.catch_up()
    documents = {}
    for year in YEARS:
        report = read_return(store.read_models, year)
        to_json(report.document()), to_csv(report), to_xlsx(report), to_html(report)
        print_return(report, Console(file=io.StringIO(), width=100))
        to_json(diff_returns(store.read_models, year, datetime(2000, 1, 1, tzinfo=UTC)).document())
        for target in report.targets:
            to_json([e.document() for e in read_history(store.read_models, year, target.code)])
        documents[year] = report.document()
    to_json([line.document() for line in read_milestones(store.read_models)])
    to_json([line.document() for line in read_risks(store.read_models)])
    return documents


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(commands, max_size=25), st.sampled_from(["sqlite", "postgresql"]))
def test_whatever_was_accepted_can_be_read_worked_on_and_rebuilt(
    payloads: list[dict[str, Any]], kind: str
) -> None:
    with _fresh(kind) as store:
        for payload in [*BASELINE, *payloads]:
            with suppress(Refused):
                store.ledger.execute(parse_command(payload))
        _read_everything(store)
        jobs = PendingJobs(
            store.ledger, store.read_models, close_after_days=20, remind_before_days=7
        )
        jobs.run(date(2019, 6, 1))  # reminders, every close, the year-end summaries
        for year in YEARS:
            assert store.ledger.year_summary(year) is not None
        before = _read_everything(store)
        ProjectionRunner(store.ledger, store.read_models).rebuild()
        assert _read_everything(store) == before
