"""Who may do what: API tokens, their roles and teams, checked before every use case."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from application.commands import (
    AmendTarget,
    AssessRisk,
    BaseCommand,
    CloseQuarter,
    Comment,
    CompleteMilestone,
    DefineMilestone,
    DefineTarget,
    RecordEngagement,
    ReportFigure,
    ReportProject,
    ReviseMilestone,
    SetMilestoneStatus,
    SetRag,
)
from application.event_topics import topics_of
from application.ledger import ReturnsLedger
from domain.access import ApiToken, Role, TokenSecret, secret_id, token_id
from domain.canonical import canonical_name
from domain.errors import Conflict, Forbidden, NotFound, Unauthenticated
from domain.identity import target_id
from domain.provenance import Provenance
from domain.targets import Target

TOKEN_PREFIX = "qtk_"  # noqa: S105 - a prefix that makes tokens recognisable, not a secret
RECORDER_COMMANDS = (RecordEngagement, ReportFigure, SetRag, Comment)
ADMIN_COMMANDS = (
    DefineTarget,
    AmendTarget,
    CloseQuarter,
    DefineMilestone,
    ReviseMilestone,
    CompleteMilestone,
    SetMilestoneStatus,
    ReportProject,
    AssessRisk,
)


class Reading(StrEnum):
    REPORT = "report"
    REGISTERS = "registers"  # milestones and risks
    AUDIT = "audit"  # history, diff, verify, seals
    BOARD_PACK = "board_pack"  # the board pack: the whole year in one document


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    team: str | None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    ledger: ReturnsLedger,
    role: Role,
    *,
    team: str | None = None,
    name: str | None = None,
    actor: str | None = None,
) -> tuple[Principal, str]:
    """A new token; the secret is returned once and only its hash is stored."""
    name = name or f"{role.value}-{uuid.uuid4().hex[:8]}"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 bits
    digest = hash_secret(secret)
    provenance = Provenance(f"token-issue-{uuid.uuid4()}", actor=actor, reason="token issued")
    token = ApiToken.issue(name, role, team, digest, provenance)
    try:
        ledger.save(token, TokenSecret.bind(digest, name, provenance))
    except IntegrityError:
        raise Conflict(f"a token named {name!r} already exists", field="name") from None
    return Principal(token.name, token.role, token.team), secret


def revoke_token(ledger: ReturnsLedger, name: str, *, actor: str | None = None) -> None:
    token = _token(ledger, name)
    token.revoke(Provenance(f"token-revoke-{uuid.uuid4()}", actor=actor, reason="revoked"))
    ledger.save(token)


def list_tokens(ledger: ReturnsLedger) -> list[dict[str, Any]]:
    """Every token ever issued, with its state; never a secret or its hash."""
    topics = topics_of(ApiToken.Issued)
    found, start = [], 1
    while True:
        batch = ledger.recorder.select_notifications(start, 500, topics=topics)
        for notification in batch:
            issued = ledger.mapper.to_domain_event(notification)
            assert isinstance(issued, ApiToken.Issued)
            token = _token(ledger, issued.name)
            found.append(
                {
                    "name": token.name,
                    "role": token.role.value,
                    "team": token.team,
                    "created": token.created_on.isoformat(),
                    "revoked": token.revoked,
                }
            )
        if len(batch) < 500:
            return found
        start = batch[-1].id + 1


def authenticate(ledger: ReturnsLedger, secret: str | None) -> Principal:
    """The token's holder; Unauthenticated for no secret, an unknown one or a revoked token.
    Two aggregate loads (the secret's binding, then the token): see :class:`TokenCache`."""
    return _authenticate(ledger, secret)[0]


def _authenticate(ledger: ReturnsLedger, secret: str | None) -> tuple[Principal, int]:
    """The holder and the version of its token as loaded."""
    if not secret:
        raise Unauthenticated("send Authorization: Bearer <token>")
    binding = ledger.find(Aggregate, secret_id(hash_secret(secret)))
    if not isinstance(binding, TokenSecret):
        raise Unauthenticated("the token is not valid")
    token = _token(ledger, binding.name)
    if token.revoked:
        raise Unauthenticated(f"the token {token.name!r} has been revoked")
    return Principal(token.name, token.role, token.team), token.version


@dataclass(frozen=True)
class _Authenticated:
    principal: Principal
    token_id: uuid.UUID
    version: int  # of the token's aggregate when it was authenticated
    expires: float  # on the cache's clock


class TokenCache:
    """Tokens authenticated in the last ``seconds``, so that a request costs one indexed
    query instead of two aggregate loads.

    A cached token is trusted only while its aggregate's version in the store is still the
    version it was authenticated at: that version is read on every use (one primary-key
    look-up of the token's latest event). A revoke stores an event on the token, so it takes
    effect on the next request in every process that shares the store, cached or not. After
    ``seconds`` an entry is authenticated in full again; failures are never cached. At most
    ``max_entries`` tokens are held (the oldest entry is dropped first). Thread-safe.
    """

    def __init__(
        self,
        ledger: ReturnsLedger,
        *,
        seconds: float = 5.0,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ledger = ledger
        self._seconds = seconds
        self._max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, _Authenticated] = {}
        self._lock = threading.Lock()

    def authenticate(self, secret: str | None) -> Principal:
        """As :func:`authenticate`, at the cost of one query for a token seen recently."""
        if not secret:
            raise Unauthenticated("send Authorization: Bearer <token>")
        digest = hash_secret(secret)
        entry = self._entries.get(digest)
        if entry is not None and self._clock() < entry.expires:
            latest = self._ledger.recorder.select_events(entry.token_id, desc=True, limit=1)
            if latest and latest[0].originator_version == entry.version:
                return entry.principal
        if entry is not None:
            with self._lock:
                self._entries.pop(digest, None)  # expired, or the token changed (revoked)
        principal, version = _authenticate(self._ledger, secret)
        with self._lock:
            while len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]
            self._entries[digest] = _Authenticated(
                principal, token_id(principal.name), version, self._clock() + self._seconds
            )
        return principal


def principal_of(ledger: ReturnsLedger, name: str) -> Principal:
    """The holder of the token named ``name``, as :func:`authenticate` finds it: a web
    session names its token, and ends when the token is revoked (Unauthenticated)."""
    try:
        token = _token(ledger, name)
    except NotFound:
        raise Unauthenticated("the session's token no longer exists") from None
    if token.revoked:
        raise Unauthenticated(f"the token {token.name!r} has been revoked")
    return Principal(token.name, token.role, token.team)


def records_for(principal: Principal, theme: str | None) -> bool:
    """Whether ``principal`` may write figures, RAGs, commentary and engagements for a
    target of ``theme`` (the rule :func:`authorize_command` applies to those commands)."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.AUDITOR or theme is None:
        return False
    return canonical_name(theme) == canonical_name(principal.team or "")


def sees_target(principal: Principal, theme: str | None) -> bool:
    """Whether the web pages show ``principal`` a target of ``theme``: recorders see their
    team's targets only; auditors and admins see all."""
    return principal.role is not Role.RECORDER or records_for(principal, theme)


def authorize_command(ledger: ReturnsLedger, principal: Principal, command: BaseCommand) -> None:
    if principal.role is Role.ADMIN:
        return
    if principal.role is Role.AUDITOR:
        raise Forbidden("auditors read; they do not record or change anything")
    if isinstance(command, ADMIN_COMMANDS) or not isinstance(command, RECORDER_COMMANDS):
        raise Forbidden(f"only an admin may {getattr(command, 'type', 'do this')}")
    target = ledger.find(Aggregate, target_id(command.year, command.code))
    if not isinstance(target, Target):
        return  # unknown: the use case refuses it, naming the code
    theme = target.definition.theme
    if theme is None:
        raise Forbidden(
            f"target {command.code!r} has no theme, so only admins record for it; this "
            f"token records for {principal.team!r}"
        )
    if canonical_name(theme) != canonical_name(principal.team or ""):
        raise Forbidden(
            f"target {command.code!r} belongs to {theme!r}; this token records for "
            f"{principal.team!r}"
        )


def authorize_reading(principal: Principal, reading: Reading) -> None:
    if principal.role is Role.RECORDER and reading is Reading.BOARD_PACK:
        raise Forbidden("the board pack is for auditors and admins; recorders read the report")
    if principal.role is Role.RECORDER and reading is not Reading.REPORT:
        raise Forbidden(
            "recorders read the report; history, diff and verification are for auditors and admins"
        )


def _token(ledger: ReturnsLedger, name: str) -> ApiToken:
    token = ledger.find(Aggregate, token_id(name))
    if not isinstance(token, ApiToken):
        raise NotFound(f"no token is named {name!r}", field="name")
    return token
