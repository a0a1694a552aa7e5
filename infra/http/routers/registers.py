"""The registers beside the return: major projects' milestones and the strategic risks."""

from __future__ import annotations

from fastapi import APIRouter

from application.access import Reading
from domain.errors import NotFound
from infra.http.deps import AsAt, Code, ServiceDep, may_read
from infra.http.responses import REFUSALS
from projections.models import MilestoneLine, ProjectLine, RiskAssessment, RiskLine

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
def risks(as_at: AsAt, service: ServiceDep) -> list[RiskLine]:
    """The ``risks --format json`` document, now or as at a recorded time."""
    return service.caught_up().risks(as_at)


@router.get(
    "/risks/{code}/history",
    response_model=list[RiskAssessment],
    summary="Every assessment of a risk, oldest first",
)
def risk_history(code: Code, service: ServiceDep) -> list[RiskAssessment]:
    """The ``risks --history REF --format json`` document; 404 for a risk never assessed."""
    found = service.caught_up().risk_history(code) if "\x00" not in code else []
    if not found:
        raise NotFound(f"no risk {code!r} has been assessed", field="code")
    return found


@router.get(
    "/projects",
    response_model=list[ProjectLine],
    summary="Major projects' status rows",
)
def projects(service: ServiceDep) -> list[ProjectLine]:
    """The ``projects --format json`` document."""
    return service.caught_up().projects()
