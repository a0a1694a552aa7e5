"""Tamper evidence: the hash chain recomputed over every stored event, and the seals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from application import audit
from application.access import Reading
from application.audit import Seal, Verification
from infra.http.deps import ServiceDep, may_read
from infra.http.responses import REFUSALS
from infra.http.schemas import seal_parameter

router = APIRouter(
    prefix="/api/v1",
    tags=["audit"],
    dependencies=[may_read(Reading.AUDIT)],
    responses=REFUSALS,
)


@router.get(
    "/verify",
    response_model=Verification,
    summary="Recompute the hash chain over every stored event",
)
def verify(
    service: ServiceDep,
    seal: Annotated[str | None, Query(json_schema_extra=seal_parameter)] = None,
) -> Verification:
    """The whole chain (as ``quarterly verify``: also proving the link the last good check
    reached, so a removed tail is named), or (``?seal=``) the history up to a published
    seal."""
    quarterly = service.quarterly
    if seal is not None:  # ?seal= with nothing is refused, not ignored
        return audit.verify_seal(quarterly.chain, quarterly.mapper, seal)
    return quarterly.check_chain(whole=True).result


@router.get(
    "/seals",
    response_model=list[Seal],
    summary="The digests sealed at each quarter close",
)
def seals(service: ServiceDep) -> list[Seal]:
    """The ``seals --format json`` document."""
    return audit.seals(service.quarterly.chain, service.quarterly.mapper)
