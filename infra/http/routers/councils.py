"""The council register and the take-up analysis of a year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from application.access import Reading
from domain.canonical import canonical_code
from infra.http.deps import AsAt, ServiceDep, Year, may_read
from infra.http.responses import REFUSALS
from projections.models import CouncilLine, TakeUp

router = APIRouter(prefix="/api/v1", tags=["councils"], responses=REFUSALS)


@router.get(
    "/councils",
    dependencies=[may_read(Reading.REPORT)],
    response_model=list[CouncilLine],
    summary="The council register, now or as at a recorded time",
)
def councils(as_at: AsAt, service: ServiceDep) -> list[CouncilLine]:
    """The ``councils --format json`` document."""
    return service.caught_up().councils(as_at)


@router.get(
    "/years/{year:path}/take-up",
    dependencies=[may_read(Reading.REPORT)],
    response_model=TakeUp,
    summary="Which councils the year's support reached, and which it missed",
)
def take_up(
    year: Year,
    as_at: AsAt,
    service: ServiceDep,
    code: Annotated[str | None, Query(description="Only this target's engagements")] = None,
    kind: Annotated[str | None, Query(description="Only engagements of this kind")] = None,
) -> TakeUp:
    """The ``take-up --format json`` document."""
    target = canonical_code(code) if code else None
    return service.caught_up().take_up(year, code=target, kind=kind, as_at=as_at)
