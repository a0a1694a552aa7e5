"""The council register and the take-up analysis, on both stores."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from application import use_cases
from application.commands import parse_command
from application.council_file import council_commands
from application.jsonl_import import import_lines
from application.ledger import Outcome
from domain.councils import DIRECTORY_ID, council_id
from domain.errors import BadInput, Conflict, Refused, UnknownReference
from infra.store import Store
from projections.runner import ProjectionRunner
from projections.take_up import read_councils, read_take_up
from samples import COUNCIL_REGISTER, sample_lines
from tests.builders import define, engagement
from tests.integration.helpers import YEAR, event_count, execute, report, run, target_of


def _load_shipped(store: Store) -> None:
    text = b"\n".join(sample_lines(COUNCIL_REGISTER)).decode()
    result = import_lines(store.ledger, council_commands(text))
    assert not result.refused, result.refused[:3]
    assert result.stored == 353


def _caught_up(store: Store) -> None:
    ProjectionRunner(store.ledger, store.read_models).catch_up()


def test_the_shipped_register_holds_the_published_counts(store: Store) -> None:
    _load_shipped(store)
    _caught_up(store)
    councils = read_councils(store.read_models)
    assert len(councils) == 353
    assert Counter(c.region for c in councils) == {
        "East of England": 52,
        "East Midlands": 45,
        "London": 33,
        "North East": 12,
        "North West": 41,
        "South East": 74,
        "South West": 41,
        "West Midlands": 33,
        "Yorkshire and The Humber": 22,
    }
    assert Counter(c.council_type for c in councils) == {
        "county": 27,
        "district": 201,
        "london_borough": 33,
        "metropolitan_district": 36,
        "unitary": 56,
    }
    text = b"\n".join(sample_lines(COUNCIL_REGISTER)).decode()
    again = import_lines(store.ledger, council_commands(text))
    assert (again.stored, again.already_stored, again.refused) == (0, 353, [])


def _register(store: Store, code: str, name: str, kind: str, region: str, **extra: Any) -> None:
    run(
        store,
        type="register_council",
        id=f"reg-{code}",
        code=code,
        name=name,
        council_type=kind,
        region=region,
        **extra,
    )


def _engage(store: Store, n: int, council: str, day: str, **extra: Any) -> None:
    run(
        store,
        type="record_engagement",
        id=f"e{n}",
        year=YEAR,
        code=extra.pop("code", "PC"),
        date=day,
        council=council,
        kind=extra.pop("kind", "peer challenge"),
        **extra,
    )


def _small_register(store: Store) -> None:
    _register(store, "E06000052", "Cornwall", "unitary", "South West", aliases=["Kernow"])
    _register(store, "E06000023", "Bristol, City of", "unitary", "South West")
    _register(store, "E10000002", "Buckinghamshire", "county", "South East")
    _register(store, "E07000008", "Cambridge", "district", "East of England")
    _register(store, "E09000007", "Camden", "london_borough", "London")


def test_a_council_written_as_code_name_or_alias_counts_once(store: Store) -> None:
    _small_register(store)
    execute(store, define("PC", aggregation="distinct_councils", target=4))
    for n, written in enumerate(["E06000052", "cornwall council", "  CORNWALL ", "Kernow"]):
        _engage(store, n, written, "2016-05-0" + str(n + 1))
    _engage(store, 9, "Bristol City Council", "2016-08-01")
    pc = target_of(report(store), "PC")
    assert pc["quarters"] == {"Q1": 1, "Q2": 1, "Q3": None, "Q4": None}
    assert (pc["total"], pc["councils"], pc["percent_achieved"]) == (2, 2, 50)
    take_up = read_take_up(store.read_models, YEAR)
    assert (take_up.engaged, take_up.engagements) == (2, 5)
    with pytest.raises(BadInput, match="did you mean 'Cornwall'") as refusal:
        _engage(store, 10, "Cornwal", "2016-05-09")
    assert refusal.value.field == "council"


def test_take_up_of_a_constructed_year_gives_exact_counts(store: Store) -> None:
    _small_register(store)
    execute(store, define("PC", aggregation="sum", target=10))
    execute(store, define("LS", aggregation="sum", target=10))
    run(
        store,
        type="define_target",
        id="define-2015",
        year="2015/16",
        code="PC",
        title="Earlier peer challenges",
        theme="Peer support",
        aggregation="sum",
    )
    run(
        store,
        type="record_engagement",
        id="earlier",
        year="2015/16",
        code="PC",
        date="2015-06-01",
        council="Cornwall",
        kind="peer challenge",
    )
    _engage(store, 1, "Cornwall", "2016-05-01")
    _engage(store, 2, "Cornwall", "2016-06-01", count=2)
    _engage(store, 3, "Camden", "2016-07-01")
    _engage(store, 4, "Cambridge", "2016-11-01", kind="Leadership session", code="LS")
    _caught_up(store)
    middle = datetime.now(UTC)
    _engage(store, 5, "Buckinghamshire", "2017-01-10", kind="leadership  SESSION", code="LS")
    _caught_up(store)

    take_up = read_take_up(store.read_models, YEAR).document()
    assert {k: take_up[k] for k in ("councils", "engaged", "percent", "engagements")} == {
        "councils": 5,
        "engaged": 4,
        "percent": 80,
        "engagements": 6,
    }
    regions = {r["region"]: r for r in take_up["by_region"]}
    assert regions["South West"] == {
        "region": "South West",
        "councils": 2,
        "engaged": 1,
        "percent": 50,
        "engagements": 3,
    }
    assert regions["London"]["percent"] == 100
    assert regions["North East"] == {
        "region": "North East",
        "councils": 0,
        "engaged": 0,
        "percent": None,
        "engagements": 0,
    }
    types = {t["type"]: (t["councils"], t["engaged"], t["percent"]) for t in take_up["by_type"]}
    assert types == {
        "county": (1, 1, 100),
        "district": (1, 1, 100),
        "london_borough": (1, 1, 100),
        "unitary": (2, 1, 50),
    }
    assert take_up["by_kind"] == [
        {"kind": "Leadership session", "engaged": 2, "engagements": 2},
        {"kind": "peer challenge", "engaged": 2, "engagements": 4},
    ]
    assert take_up["zero_take_up"] == [
        {"code": "E06000023", "name": "Bristol, City of", "type": "unitary", "region": "South West"}
    ]
    assert take_up["first_time_councils"] == ["E07000008", "E09000007", "E10000002"]
    assert take_up["first_time"] == 3

    peer = read_take_up(store.read_models, YEAR, kind="Peer Challenge").document()
    assert (peer["engaged"], peer["first_time"], peer["first_time_councils"]) == (
        2,
        1,
        ["E09000007"],
    )
    one_target = read_take_up(store.read_models, YEAR, code="LS").document()
    assert (one_target["engaged"], one_target["engagements"]) == (2, 2)

    earlier = read_take_up(store.read_models, YEAR, as_at=middle).document()
    assert (earlier["engaged"], earlier["engagements"], earlier["percent"]) == (3, 5, 60)
    assert earlier["as_at"] is not None


def test_without_a_register_any_name_is_accepted_and_take_up_says_so(store: Store) -> None:
    execute(store, define("PC", target=10))
    _engage(store, 1, "Anytown Council", "2016-05-01")
    _engage(store, 2, "anytown", "2016-05-02")
    _caught_up(store)
    take_up = read_take_up(store.read_models, YEAR)
    assert take_up.register_loaded is False
    assert (take_up.councils, take_up.engaged, take_up.percent) == (0, 1, None)


def test_bad_register_input_is_refused_naming_the_field(store: Store) -> None:
    _small_register(store)
    execute(store, define("PC", target=10))
    before = event_count(store)
    cases: list[tuple[type[Refused], str, dict[str, Any]]] = [
        (BadInput, "region", {"region": "Wessex"}),
        (BadInput, "council_type", {"council_type": "parish"}),
        (Conflict, "code", {"code": "E06000052", "name": "Kernow Council"}),
        (BadInput, "code", {"code": "X1"}),
    ]
    for kind, field, change in cases:
        command = {
            "type": "register_council",
            "id": f"bad-{field}",
            "code": "E06000099",
            "name": "New Town",
            "council_type": "unitary",
            "region": "South West",
        } | change
        with pytest.raises(kind) as refusal:
            run(store, **command)
        assert refusal.value.field == field, refusal.value
    with pytest.raises(UnknownReference) as unknown:
        run(store, type="retire_council", id="r0", code="E06000099", on="2016-06-01")
    assert unknown.value.field == "code"
    assert event_count(store) == before
    run(store, type="retire_council", id="r1", code="E09000007", on="2016-06-01")
    with pytest.raises(BadInput, match="retired on 2016-06-01") as retired:
        _engage(store, 1, "Camden", "2016-07-01")
    assert retired.value.field == "council"
    _engage(store, 2, "Camden", "2016-05-31")  # before its retirement it was a council


def test_a_type_an_organisation_defines_is_accepted(store: Store) -> None:
    run(store, type="define_council_type", id="t", council_type="fire_authority",
            label="Fire and rescue authority")  # fmt: skip
    _register(store, "E31000001", "Avon Fire Authority", "fire_authority", "South West")
    _caught_up(store)
    [council] = read_councils(store.read_models)
    assert json.loads(council.model_dump_json(by_alias=True))["type"] == "fire_authority"


def test_take_up_from_the_kept_sums_equals_take_up_counted_from_every_engagement(
    store: Store,
) -> None:
    """The take-up of now reads sums kept per target, council and kind; as at a moment it
    counts the engagements recorded by then. Over kinds spelled many ways, two years, two
    targets and projection batches of 7 events, both must give the same document, before
    and after a rebuild."""
    import random

    _small_register(store)
    execute(store, define("PC", aggregation="sum", target=10))
    execute(store, define("LS", aggregation="sum", target=10))
    chance = random.Random(20161)
    councils = ["Cornwall", "Kernow", "Camden", "Cambridge", "Buckinghamshire"]
    kinds = ["peer challenge", "Peer Challenge", "PEER  challenge", "Leadership session", None]
    total = 0
    for n in range(60):
        count = chance.randint(1, 4)
        total += count
        extra = {"code": chance.choice(["PC", "LS"]), "count": count, "kind": chance.choice(kinds)}
        day = f"2016-{chance.randint(4, 12):02d}-02"
        _engage(store, 100 + n, chance.choice(councils), day, **extra)
        if n % 9 == 0:
            ProjectionRunner(store.ledger, store.read_models, batch_size=7).catch_up()
    ProjectionRunner(store.ledger, store.read_models, batch_size=7).catch_up()
    later = datetime(2100, 1, 1, tzinfo=UTC)

    def both(**filters: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        now = read_take_up(store.read_models, YEAR, **filters).document()
        counted = read_take_up(store.read_models, YEAR, as_at=later, **filters).document()
        now.pop("as_at"), counted.pop("as_at")
        return now, counted

    for filters in ({}, {"code": "LS"}, {"kind": "peer challenge"}, {"kind": "nothing"}):
        now, counted = both(**filters)
        assert now == counted, filters
    kept = read_take_up(store.read_models, YEAR).document()
    assert kept["engagements"] == total
    assert [k["kind"] for k in kept["by_kind"]][-1] is None  # engagements without a kind
    ProjectionRunner(store.ledger, store.read_models, batch_size=11).rebuild()
    rebuilt = read_take_up(store.read_models, YEAR).document()
    assert {**rebuilt, "as_at": None} == {**kept, "as_at": None}


def test_a_batch_naming_many_councils_decides_as_one_by_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch loads what its commands read together, a few queries in all: a small chunk
    size makes it several queries, and each council still resolves as it would alone."""
    _small_register(store)
    execute(store, define("PC", aggregation="distinct_councils", target=4))
    monkeypatch.setattr(use_cases, "PRELOAD_CHUNK", 2)
    written = ["Kernow", "E06000023", "camden", "Cambridge City Council", "Cornwal", "Camden"]
    commands = [
        parse_command(
            engagement("2016-05-10", code="PC", council=name, id=f"m{n}", kind="peer challenge")
        )
        for n, name in enumerate(written)
    ]
    outcomes = store.ledger.execute_batch(commands)
    assert outcomes[:4] == [Outcome.STORED] * 4
    assert isinstance(outcomes[4], BadInput)
    assert outcomes[4].field == "council"
    assert outcomes[5] is Outcome.STORED
    pc = target_of(report(store), "PC")
    assert (pc["total"], pc["councils"]) == (4, 4)  # Camden twice is one council
    take_up = read_take_up(store.read_models, YEAR)
    assert (take_up.engaged, take_up.engagements) == (4, 5)


def test_an_engagement_loads_its_council_in_one_query_not_the_whole_register(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register's directory holds an event per council: loaded for every engagement,
    it made a command take 10 ms instead of 2 with 353 councils. Once the ledger has seen
    the register, an engagement reads its year, target, name entry and council in one
    query, and nothing else."""
    _small_register(store)
    execute(store, define("PC", aggregation="distinct_councils", target=4))
    _engage(store, 1, "Cornwall", "2016-05-01")  # the ledger sees the register
    _engage(store, 2, "Kernow", "2016-05-02")  # and learns what this name names
    recorder, repository = store.ledger.recorder, store.ledger.repository
    select, get = getattr(recorder, "select_aggregate_events"), repository.get  # noqa: B009
    queries: list[list[Any]] = []
    lazily: list[Any] = []

    def selecting(ids: Any) -> Any:
        queries.append(list(ids))
        return select(ids)

    def getting(aggregate_id: Any, **options: Any) -> Any:
        lazily.append(aggregate_id)
        return get(aggregate_id, **options)

    monkeypatch.setattr(recorder, "select_aggregate_events", selecting)
    monkeypatch.setattr(repository, "get", getting)
    _engage(store, 3, "Kernow", "2016-05-03")
    assert len(queries) == 1
    assert council_id("E06000052") in queries[0]
    assert DIRECTORY_ID not in queries[0]
    assert lazily == []
    with pytest.raises(BadInput, match="did you mean 'Cornwall'"):  # the directory, now
        _engage(store, 4, "Cornwal", "2016-05-04")
    assert DIRECTORY_ID in lazily
    _caught_up(store)
    take_up = read_take_up(store.read_models, YEAR)
    assert (take_up.engaged, take_up.engagements) == (1, 3)
