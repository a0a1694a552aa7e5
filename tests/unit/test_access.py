"""Who may do what (application/access.py) on the in-memory store: tokens and their secrets,
revocation, roles, and recorders' teams."""

from __future__ import annotations

import pytest

from application.access import (
    TOKEN_PREFIX,
    Reading,
    TokenCache,
    authenticate,
    authorize_command,
    authorize_reading,
    issue_token,
    list_tokens,
    revoke_token,
)
from application.commands import parse_command
from application.ledger import ReturnsLedger
from domain.access import Role
from domain.errors import Conflict, Forbidden, NotFound, Unauthenticated
from tests.builders import (
    amend,
    close,
    comment,
    define,
    engagement,
    figure,
    milestone,
    rag,
    risk,
)
from tests.unit.ledgers import execute

RECORDED = [engagement(), figure(), rag(), comment()]
ADMINISTERED = [
    define("NEW"),
    amend(target=5),
    close(),
    milestone("M", "2016-09-30"),
    risk("R1", 2, 2),
]


@pytest.fixture
def themed(ledger: ReturnsLedger) -> ReturnsLedger:
    """PW1 belongs to the theme Peer support; NT1 has no theme."""
    execute(ledger, define())
    execute(ledger, define("NT1", theme=None))
    return ledger


def test_a_token_is_shown_once_and_stored_only_as_a_hash(ledger: ReturnsLedger) -> None:
    principal, secret = issue_token(ledger, Role.RECORDER, team="Peer support", name="rec")
    assert secret.startswith(TOKEN_PREFIX)
    assert (principal.name, principal.role, principal.team) == (
        "rec",
        Role.RECORDER,
        "Peer support",
    )
    assert authenticate(ledger, secret) == principal
    stored = b"".join(n.state for n in ledger.recorder.select_notifications(1, 100))
    assert secret.encode() not in stored
    [listed] = list_tokens(ledger)
    assert set(listed) == {"name", "role", "team", "created", "revoked"}
    assert (listed["name"], listed["role"], listed["revoked"]) == ("rec", "recorder", False)


def test_no_token_an_unknown_one_and_a_revoked_one_are_unauthenticated(
    ledger: ReturnsLedger,
) -> None:
    _, secret = issue_token(ledger, Role.ADMIN, name="gone")
    for missing in (None, ""):
        with pytest.raises(Unauthenticated, match="Bearer"):
            authenticate(ledger, missing)
    with pytest.raises(Unauthenticated, match="not valid"):
        authenticate(ledger, TOKEN_PREFIX + "nope")
    revoke_token(ledger, "gone", actor="ada")
    with pytest.raises(Unauthenticated, match="'gone' has been revoked"):
        authenticate(ledger, secret)
    assert list_tokens(ledger)[0]["revoked"] is True


def test_token_names_are_unique_and_only_known_ones_are_revoked(ledger: ReturnsLedger) -> None:
    issue_token(ledger, Role.AUDITOR, name="aud")
    with pytest.raises(Conflict) as refusal:
        issue_token(ledger, Role.ADMIN, name="aud")
    assert refusal.value.field == "name"
    with pytest.raises(NotFound) as unknown:
        revoke_token(ledger, "nobody")
    assert unknown.value.field == "name"


@pytest.mark.parametrize("payload", RECORDED + ADMINISTERED, ids=lambda p: p["type"])
def test_admins_may_send_every_command(themed: ReturnsLedger, payload: dict[str, object]) -> None:
    admin, _ = issue_token(themed, Role.ADMIN, name="ada")
    authorize_command(themed, admin, parse_command(payload))


@pytest.mark.parametrize("payload", RECORDED + ADMINISTERED, ids=lambda p: p["type"])
def test_auditors_send_no_command(themed: ReturnsLedger, payload: dict[str, object]) -> None:
    auditor, _ = issue_token(themed, Role.AUDITOR, name="aud")
    with pytest.raises(Forbidden, match="auditors read"):
        authorize_command(themed, auditor, parse_command(payload))


@pytest.mark.parametrize("payload", ADMINISTERED, ids=lambda p: p["type"])
def test_recorders_do_not_define_amend_close_or_keep_registers(
    themed: ReturnsLedger, payload: dict[str, object]
) -> None:
    recorder, _ = issue_token(themed, Role.RECORDER, team="Peer support", name="rec")
    with pytest.raises(Forbidden, match=f"only an admin may {payload['type']}"):
        authorize_command(themed, recorder, parse_command(payload))


@pytest.mark.parametrize("team", ["Peer support", " Peer\u00a0support ", "Peer  support"])
@pytest.mark.parametrize("payload", RECORDED, ids=lambda p: p["type"])
def test_recorders_record_for_their_teams_targets_however_the_team_is_spelled(
    themed: ReturnsLedger, payload: dict[str, object], team: str
) -> None:
    recorder, _ = issue_token(themed, Role.RECORDER, team=team, name="rec")
    authorize_command(themed, recorder, parse_command(payload))


@pytest.mark.parametrize("payload", RECORDED, ids=lambda p: p["type"])
def test_recorders_do_not_record_for_another_team_or_a_target_without_one(
    themed: ReturnsLedger, payload: dict[str, object]
) -> None:
    other, _ = issue_token(themed, Role.RECORDER, team="Another theme", name="oth")
    with pytest.raises(Forbidden, match=r"belongs to 'Peer support'.*'Another theme'"):
        authorize_command(themed, other, parse_command(payload))
    with pytest.raises(Forbidden, match="has no theme"):
        authorize_command(themed, other, parse_command(payload | {"code": "NT1"}))


def test_an_unknown_target_is_left_to_the_use_case_to_refuse(themed: ReturnsLedger) -> None:
    recorder, _ = issue_token(themed, Role.RECORDER, team="Peer support", name="rec")
    authorize_command(themed, recorder, parse_command(figure(code="NOPE")))


@pytest.mark.parametrize("reading", list(Reading))
def test_what_each_role_may_read(ledger: ReturnsLedger, reading: Reading) -> None:
    for role in (Role.ADMIN, Role.AUDITOR):
        principal, _ = issue_token(ledger, role)
        authorize_reading(principal, reading)
    recorder, _ = issue_token(ledger, Role.RECORDER, team="Peer support")
    if reading is Reading.REPORT:
        authorize_reading(recorder, reading)
    else:
        with pytest.raises(Forbidden, match="recorders read the report"):
            authorize_reading(recorder, reading)


class _CountingRecorder:
    """Counts the recorder's reads, passing each on."""

    def __init__(self, ledger: ReturnsLedger) -> None:
        self.reads = 0
        original = ledger.recorder.select_events

        def select_events(*args: object, **kwargs: object) -> object:
            self.reads += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        ledger.recorder.select_events = select_events  # type: ignore[method-assign,assignment]


def test_a_cached_token_costs_one_read_and_a_revoke_ends_it_at_once(
    ledger: ReturnsLedger,
) -> None:
    now = [0.0]
    cache = TokenCache(ledger, seconds=5, clock=lambda: now[0])
    principal, secret = issue_token(ledger, Role.ADMIN, name="cached")
    counting = _CountingRecorder(ledger)
    assert cache.authenticate(secret) == principal
    first = counting.reads
    assert first >= 2  # the binding and the token, loaded
    assert cache.authenticate(secret) == principal
    assert counting.reads == first + 1  # one look-up of the token's latest version
    # Revoked elsewhere (another ledger on the same store would do the same): the next
    # request sees it, within the cache's lifetime.
    revoke_token(ledger, "cached")
    with pytest.raises(Unauthenticated, match="revoked"):
        cache.authenticate(secret)
    with pytest.raises(Unauthenticated, match="revoked"):
        cache.authenticate(secret)


def test_a_cached_token_is_authenticated_in_full_again_after_its_seconds(
    ledger: ReturnsLedger,
) -> None:
    now = [0.0]
    cache = TokenCache(ledger, seconds=5, clock=lambda: now[0])
    principal, secret = issue_token(ledger, Role.ADMIN, name="ageing")
    counting = _CountingRecorder(ledger)
    cache.authenticate(secret)
    full = counting.reads
    now[0] = 5.0
    assert cache.authenticate(secret) == principal
    assert counting.reads == 2 * full  # loaded again, no version look-up first


def test_the_cache_refuses_what_authenticate_refuses_and_keeps_no_failure(
    ledger: ReturnsLedger,
) -> None:
    cache = TokenCache(ledger, max_entries=2)
    with pytest.raises(Unauthenticated, match="Bearer"):
        cache.authenticate(None)
    with pytest.raises(Unauthenticated, match="not valid"):
        cache.authenticate(TOKEN_PREFIX + "nope")
    secrets = [issue_token(ledger, Role.AUDITOR, name=f"t{n}")[1] for n in range(3)]
    names = [cache.authenticate(secret).name for secret in secrets]
    assert names == ["t0", "t1", "t2"]
    assert len(cache._entries) == 2  # the oldest was dropped
