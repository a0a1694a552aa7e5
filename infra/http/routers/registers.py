"""The registers beside the return: major projects' milestones and the strategic risks."""

from __future__ import annotations

from fastapi import APIRouter

from application.access import Reading
from infra.http.deps import ServiceDep, may_read
from infra.http.responses import REFUSALS
from projections.models import MilestoneLine, RiskLine

router = APIRouter(
    prefix="/api/v1",
    tags=["registers"],
    dependencies=[may_read(Reading.REGISTERS)],
    responses=REFUSALS,
)


@router.get(
    "/milestones",
    response_model=list[MilestoneLine],
    summary="Milestones with revisions and slippage",
)
def milestones(service: ServiceDep) -> list[MilestoneLine]:
    """The ``milestones --format json`` document."""
    return service.caught_up().milestones()


@router.get(
    "/risks",
    response_model=list[RiskLine],
    summary="The strategic risk register",
)
def risks(service: ServiceDep) -> list[RiskLine]:
    """The ``risks --format json`` document."""
    return service.caught_up().risks()
