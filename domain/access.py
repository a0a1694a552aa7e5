"""API tokens: a name, a role, perhaps a team, and the hash of a secret shown once."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import BadInput, Conflict
from domain.identity import derived_id
from domain.provenance import Provenance, RecordedAggregate
from domain.text import SHORT_TEXT, check_text, shows_something


class Role(StrEnum):
    RECORDER = "recorder"  # writes for its team's targets, reads the report
    AUDITOR = "auditor"  # reads everything, writes nothing
    ADMIN = "admin"  # does all

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not a role; use recorder, auditor or admin", field="role"
            ) from None


class ApiToken(RecordedAggregate):
    class Issued(RecordedAggregate.Created):
        class_version = 1

        name: str
        role: str
        team: str | None
        secret_hash: str

    class Revoked(RecordedAggregate.Event):
        class_version = 1

        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.revoked = True

    def __init__(self, name: str, role: str, team: str | None, secret_hash: str) -> None:
        self.name = name
        self.role = Role(role)
        self.team = team
        self.secret_hash = secret_hash
        self.revoked = False

    @classmethod
    def issue(
        cls, name: str, role: Role, team: str | None, secret_hash: str, provenance: Provenance
    ) -> ApiToken:
        if not shows_something(name):
            raise BadInput("must not be empty", field="name")
        check_text(name, field="name", max_length=SHORT_TEXT)
        if team is not None:
            check_text(team, field="team", max_length=SHORT_TEXT)
        if role is Role.RECORDER and not (team and team.strip()):
            raise BadInput("a recorder token needs --team (the theme it records for)", field="team")
        if role is not Role.RECORDER and team is not None:
            raise BadInput(
                f"only recorder tokens have a team; an {role.value} token "
                + ("reads everything" if role is Role.AUDITOR else "may do everything"),
                field="team",
            )
        return cls._create(
            cls.Issued,
            id=token_id(name),
            name=name,
            role=role.value,
            team=team,
            secret_hash=secret_hash,
            **provenance.event_fields(),
        )

    def revoke(self, provenance: Provenance) -> None:
        if self.revoked:
            raise Conflict(f"token {self.name!r} is already revoked", field="name")
        self.trigger_event(self.Revoked, name=self.name, **provenance.event_fields())


class TokenSecret(RecordedAggregate):
    """Finds a token by the hash of its secret, without a read model."""

    class Bound(RecordedAggregate.Created):
        class_version = 1

        name: str

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def bind(cls, secret_hash: str, name: str, provenance: Provenance) -> TokenSecret:
        return cls._create(
            cls.Bound, id=secret_id(secret_hash), name=name, **provenance.event_fields()
        )


def token_id(name: str) -> UUID:
    return derived_id("token", name)


def secret_id(secret_hash: str) -> UUID:
    return derived_id("token-secret", secret_hash)
