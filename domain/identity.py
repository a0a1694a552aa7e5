"""Deterministic aggregate ids, so the store itself recognises a second attempt."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

# Fixed forever: changing it would orphan every stored aggregate.
_NAMESPACE = UUID("6f1c7c8e-4d6b-5b1e-9a53-2f0a8a1d7c41")


def derived_id(kind: str, *parts: str) -> UUID:
    return uuid5(_NAMESPACE, "\x1f".join((kind, *parts)))


@lru_cache(maxsize=4096)  # looked up on every command; ids never change
def target_id(year: str, code: str) -> UUID:
    return derived_id("target", year, code)


@lru_cache(maxsize=256)
def reporting_year_id(year: str) -> UUID:
    return derived_id("year", year)


def milestone_id(project: str, milestone: str) -> UUID:
    return derived_id("milestone", project, milestone)


def risk_id(ref: str) -> UUID:
    return derived_id("risk", ref)


@lru_cache(maxsize=4096)  # a command's receipt is looked for several times as it is decided
def receipt_id(command_id: str) -> UUID:
    return derived_id("command", command_id)


def project_id(project: str) -> UUID:
    return derived_id("project", project)
