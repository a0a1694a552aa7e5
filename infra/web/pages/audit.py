"""The verification page for auditors: the hash chain recomputed, the seals, and how to
check a published seal against the store."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request, Response

from application.access import Reading, authorize_reading
from infra.http.deps import ServiceDep
from infra.web.deps import SignedIn
from infra.web.templating import page

router = APIRouter(include_in_schema=False)
log = structlog.get_logger("quarterly.verification")


@router.get("/verification")
def verification(request: Request, service: ServiceDep, session: SignedIn) -> Response:
    """Chain OK or the first bad event, and every quarter close's seal. The chain is
    recomputed from where the last good check reached (the whole of it the first time, and
    after a problem); the page says when the whole chain was last recomputed."""
    authorize_reading(session.principal, Reading.AUDIT)
    check = service.quarterly.check_chain()
    if not check.result.ok:  # as the worker's check does: an operator's alert, not only a page
        log.error(
            "chain_broken",
            problem=check.result.problem,
            position=check.result.position,
            checked_by=session.principal.name,
        )
    return page(
        request,
        "verification.html",
        {
            "title": "Verification",
            "result": check.result,
            "recomputed_from": check.recomputed_from,
            "checkpoint": check.checkpoint,
            "seals": check.seals,
        },
        session=session,
    )
