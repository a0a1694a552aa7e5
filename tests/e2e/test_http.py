"""The HTTP API driven over real sockets, on both stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.builders import Command, close, define
from tests.builders import engagement as an_engagement
from tests.e2e.cli import quarterly
from tests.e2e.server import make_token, serving

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published_return_2016_17.jsonl"
TEAM = "Published return"


@dataclass
class Api:
    base: str
    store: str
    tokens: dict[str, str]
    log: Path

    def client(self, who: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[Api]:
    assert quarterly("import", str(PUBLISHED), store=store_url).code == 0
    tokens = {
        "admin": make_token(store_url, "admin", "ada"),
        "auditor": make_token(store_url, "auditor", "aud"),
        "recorder": make_token(store_url, "recorder", "rec", team=TEAM),
        "other-team": make_token(store_url, "recorder", "oth", team="Another theme"),
        "revoked": make_token(store_url, "admin", "gone"),
    }
    assert quarterly("token", "revoke", "gone", store=store_url).code == 0
    log = tmp_path / "serve.log"
    with serving(store_url, log=log) as base:
        yield Api(base, store_url, tokens, log)


def engagement(command_id: str, **extra: object) -> Command:
    """An engagement with Leeds in Q3 for PC, a target of the published return."""
    return (
        an_engagement("2016-11-03", code="PC", council="Leeds City Council", id=command_id) | extra
    )


def test_roles_and_tokens(api: Api) -> None:
    with httpx.Client(base_url=api.base) as anonymous:
        response = anonymous.get("/api/v1/years/2016/17/report")
        assert response.status_code == 401
        assert "Bearer" in response.json()["error"]
        bad = anonymous.get("/api/v1/risks", headers={"Authorization": "Bearer qtk_nope"})
        assert bad.status_code == 401
    with api.client("revoked") as revoked:
        response = revoked.get("/api/v1/risks")
        assert response.status_code == 401
        assert "revoked" in response.json()["error"]
    with api.client("other-team") as other:
        response = other.post("/api/v1/commands", json=engagement("o1"))
        assert response.status_code == 403
        assert "Published return" in response.json()["error"]
    with api.client("auditor") as auditor:
        response = auditor.post("/api/v1/commands", json=engagement("a1"))
        assert response.status_code == 403
        assert auditor.get("/api/v1/years/2016/17/targets/PC/history").status_code == 200
        assert auditor.get("/api/v1/verify").json()["ok"] is True
        for mistyped in ("abc", "", " "):
            refused = auditor.get("/api/v1/verify", params={"seal": mistyped})
            assert (refused.status_code, refused.json()["field"]) == (422, "seal"), mistyped
        unknown = auditor.get("/api/v1/verify", params={"seal": "A" * 64}).json()
        assert (unknown["ok"], unknown["unknown_seal"]) == (False, True)
    with api.client("recorder") as recorder:
        assert recorder.post("/api/v1/commands", json=engagement("r1")).status_code == 201
        assert recorder.get("/api/v1/years/2016/17/report").status_code == 200
        assert recorder.get("/api/v1/years/2016/17/targets/PC/history").status_code == 403
        new_target = define("NEW", id="r2", title="New", theme=None, target=None)
        assert recorder.post("/api/v1/commands", json=new_target).status_code == 403
    history = quarterly(
        "history", "--year", "2016/17", "--code", "PC", "--format", "json", store=api.store
    )
    [recorded] = [e for e in json.loads(history.stdout) if e["command_id"] == "r1"]
    assert recorded["actor"] == "rec"  # the token's name, whatever the body said


def test_idempotent_conflicting_and_closed_quarter_commands(api: Api) -> None:
    with api.client("admin") as admin:
        first = admin.post("/api/v1/commands", json=engagement("e1", actor="someone"))
        assert (first.status_code, first.json()["outcome"]) == (201, "stored")
        again = admin.post("/api/v1/commands", json=engagement("e1"))
        assert (again.status_code, again.json()["outcome"]) == (200, "already_stored")
        conflict = admin.post("/api/v1/commands", json=engagement("e1", count=5))
        assert conflict.status_code == 409
        assert conflict.json()["field"] == "id"
        bad = admin.post("/api/v1/commands", json=engagement("e2", date="2016-13-40"))
        assert (bad.status_code, bad.json()["field"]) == (422, "date")
        unknown = admin.post("/api/v1/commands", json={"type": "explode", "id": "x"})
        assert (unknown.status_code, unknown.json()["field"]) == (422, "type")
        close_q3 = close("Q3", id="close-q3")
        assert admin.post("/api/v1/commands", json=close_q3).status_code == 201
        closed = admin.post("/api/v1/commands", json=engagement("e3"))
        assert closed.status_code == 409
        assert "closed" in closed.json()["error"]
        restated = admin.post(
            "/api/v1/commands",
            json=engagement("e4", restatement_reason="late peer challenge report"),
        )
        assert restated.status_code == 201
        report = admin.get("/api/v1/years/2016-17/report").json()
        pc = next(t for t in report["targets"] if t["code"] == "PC")
        assert pc["restatements"][0]["restatement_reason"] == "late peer challenge report"
        assert pc["quarters"]["Q3"] == 38  # the reported figure still overrides engagements
    history = json.loads(pc_history(api.store))
    assert [e["command_id"] for e in history].count("e1") == 1


def pc_history(store: str) -> str:
    return quarterly(
        "history", "--year", "2016/17", "--code", "PC", "--format", "json", store=store
    ).stdout


def test_reads_mirror_the_cli_byte_for_byte(api: Api) -> None:
    with api.client("admin") as admin:
        admin.post("/api/v1/commands", json=engagement("rw1"))
        over_http = admin.get("/api/v1/years/2016/17/report")  # read-your-writes
        assert over_http.headers["content-type"].startswith("application/json")
        cli = quarterly("report", "--year", "2016/17", "--format", "json", store=api.store)
        assert over_http.content == cli.stdout.encode()
        for path, args in (
            ("/api/v1/milestones", ["milestones", "--format", "json"]),
            ("/api/v1/risks", ["risks", "--format", "json"]),
            (
                "/api/v1/years/2016/17/targets/PC/history",
                ["history", "--year", "2016/17", "--code", "PC", "--format", "json"],
            ),
            ("/api/v1/seals", ["seals", "--format", "json"]),
        ):
            assert admin.get(path).content == quarterly(*args, store=api.store).stdout.encode()
        as_at = admin.get("/api/v1/years/2016/17/report", params={"as_at": "2000-01-01"})
        assert as_at.json()["targets"] == []
        diff = admin.get("/api/v1/years/2016/17/diff", params={"from": "2000-01-01"})
        assert {t["code"] for t in diff.json()["targets"]} >= {"PC", "HALF"}
        assert admin.get("/api/v1/years/2016/18/report").status_code == 422
        assert admin.get("/api/v1/years/2016/17/targets/ZZZ/history").status_code == 404
        health = httpx.get(f"{api.base}/api/v1/health").json()
        assert health["status"] == "ok"
        assert health["projection_lag"] >= 0
        assert admin.get("/openapi.json").json()["paths"]["/api/v1/commands"]
        assert admin.get("/docs").status_code == 200


def test_oversized_bodies_are_refused_with_413(api: Api) -> None:
    with api.client("admin") as admin:
        response = admin.post("/api/v1/commands", json=engagement("big", notes="x" * 200_000))
        assert response.status_code == 413
        assert "larger than" in response.json()["error"]


def test_many_concurrent_writers_are_all_served(api: Api) -> None:
    """16 clients at once: writes queue for the store instead of failing (SQLite has one
    writer, and eventsourcing's pool gives up on a waiting writer after 5 seconds)."""
    from concurrent.futures import ThreadPoolExecutor

    def write(client_number: int) -> list[int]:
        with api.client("admin") as admin:
            return [
                admin.post(
                    "/api/v1/commands", json=engagement(f"c{client_number}-{n}", date="2017-02-01")
                ).status_code
                for n in range(25)
            ]

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = [status for batch in pool.map(write, range(16)) for status in batch]
    assert statuses == [201] * 400


FIGURE = (
    '{"type": "report_figure", "id": "f-bad", "year": "2016/17", "code": "PC", '
    '"quarter": "Q3", "value": %s}'
)


def test_every_bad_body_gets_422_naming_the_body_or_the_field(api: Api) -> None:
    bodies = [
        (b"[" * 3000 + b"]" * 3000, "body"),
        (('{"notes": ' * 3000 + "1" + "}" * 3000).encode(), "body"),
        (json.dumps(engagement("u1")).encode().replace(b"Leeds", b"L\xffeds"), "body"),
        (b"\xef\xbb", "body"),
        ((FIGURE % ("1" * 5000)).encode(), "value"),
        ((FIGURE % "NaN").encode(), "value"),
        ((FIGURE % "-Infinity").encode(), "value"),
        ((FIGURE % "1e999").encode(), "value"),
        (b"", "body"),
        (((FIGURE % "3")[:-1] + ', "value": 4}').encode(), "value"),
        (b'{"type": "report_figure",', "body"),
        (b"[]", "body"),
        (b'{"type": {}, "id": "x"}', "type"),
        ((FIGURE % "3").replace('"f-bad"', '"f\\ud800"').encode(), "id"),
    ]
    with api.client("admin") as admin:
        for body, field in bodies:
            response = admin.post(
                "/api/v1/commands", content=body, headers={"Content-Type": "application/json"}
            )
            assert (response.status_code, response.json()["field"]) == (422, field), body[:60]
            assert response.json()["error"]
        report = admin.get("/api/v1/years/2016/17/report").json()
    pc = next(t for t in report["targets"] if t["code"] == "PC")
    assert pc["quarters"]["Q3"] == 38  # nothing of the refused bodies was stored


def test_a_chunked_body_over_the_limit_is_413_and_the_connection_goes_on(api: Api) -> None:
    def chunked(command: dict[str, object]) -> Iterator[bytes]:
        text = json.dumps(command).encode()
        yield from (text[start : start + 1000] for start in range(0, len(text), 1000))

    with api.client("admin") as admin:
        big = engagement("big", notes="x" * 70_000)
        too_big = admin.post("/api/v1/commands", content=chunked(big))
        assert too_big.status_code == 413
        assert "larger than 65536 bytes" in too_big.json()["error"]
        small = engagement("chunked", notes="y" * 9_000, reason="z" * 9_000)
        fits = admin.post("/api/v1/commands", content=chunked(small))
        assert fits.status_code == 201


def test_a_client_request_id_is_echoed_only_when_short_and_plain(api: Api) -> None:
    with api.client("admin") as admin:
        plain = admin.get("/api/v1/risks", headers={"X-Request-ID": "batch-7:line.12_a"})
        assert plain.headers["x-request-id"] == "batch-7:line.12_a"
        huge = admin.get("/api/v1/risks", headers={"X-Request-ID": "r" * 8192})
        assert huge.status_code == 200
        assert len(huge.headers["x-request-id"]) == 32
        assert huge.headers["x-request-id"] != "r" * 32
    logged = [json.loads(line) for line in api.log.read_text().splitlines()]
    assert "batch-7:line.12_a" in {line.get("request_id") for line in logged}
    assert "r" * 129 not in api.log.read_text()


def test_a_token_sent_where_it_does_not_belong_is_never_logged(api: Api) -> None:
    token = api.tokens["admin"]
    with api.client("admin") as admin:
        misplaced = engagement("t1") | {"notes": 5, "kind": token}
        assert admin.post("/api/v1/commands", json=misplaced).status_code == 422
        assert admin.get(f"/api/v1/nowhere/{token}").status_code == 404
        assert admin.get("/api/v1/risks", headers={"X-Request-ID": token}).status_code == 200
        assert admin.get("/api/v1/verify", params={"seal": token}).status_code == 422
    log = api.log.read_text()
    assert token not in log
    assert token[4:] not in log
    assert "qtk_[redacted]" in log


def test_time_inputs_and_paths_out_of_range_are_refused_naming_them(api: Api) -> None:
    early = "0001-01-01T00:00:00+01:00"  # overflowed converting to UTC: exit 70, HTTP 500
    late = "9999-12-31T23:59:59-01:00"
    for args, option in (
        (["report", "--year", "2016/17", "--as-at", early], "as-at"),
        (["diff", "--year", "2016/17", "--from", early], "from"),
        (["diff", "--year", "2016/17", "--from", "2016-04-01", "--to", late], "to"),
        (["diff", "--year", "2016/17", "--from", "last tuesday"], "from"),
        (["diff", "--year", "2016/17", "--from", "2016-10-14", "--to", "2016-01-01"], "to"),
        (["worker", "--run-pending", "--today", "0001-01-01"], "today"),
    ):
        run = quarterly(*args, store=api.store)
        assert run.code == 2, run.stderr
        assert f"{option}:" in run.stderr
    with api.client("admin") as admin:
        for path, params, field in (
            ("/api/v1/years/2016-17/report", {"as_at": early}, "as_at"),
            ("/api/v1/years/2016-17/report", {"as_at": "13 o'clock"}, "as_at"),
            ("/api/v1/years/2016-17/diff", {"from": early}, "from"),
            ("/api/v1/years/2016-17/diff", {"from": "2016-04-01", "to": late}, "to"),
            ("/api/v1/years/2016-17/diff", {"from": "2016-10-14", "to": "2016-01-01"}, "to"),
            ("/api/v1/years/0/report", {}, "year"),
        ):
            response = admin.get(path, params=params)
            assert (response.status_code, response.json()["field"]) == (422, field)
        for edge in ("1900-01-01T00:00:00+14:00", "9998-12-31T23:59:59-23:59"):
            response = admin.get("/api/v1/years/2016-17/report", params={"as_at": edge})
            assert response.status_code == 200
        missing = admin.get("/api/v1/years/2016-17/targets/P%00S1/history")
        assert (missing.status_code, missing.json()["field"]) == (404, "code")
