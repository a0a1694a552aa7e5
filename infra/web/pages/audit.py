"""The verification page for auditors: the hash chain recomputed, the seals, and how to
check a published seal against the store."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from application import audit
from application.access import Reading, authorize_reading
from infra.http.deps import ServiceDep
from infra.web.deps import SignedIn
from infra.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/verification")
def verification(request: Request, service: ServiceDep, session: SignedIn) -> Response:
    """Chain OK or the first bad event, and every quarter close's seal."""
    authorize_reading(session.principal, Reading.AUDIT)
    quarterly = service.quarterly
    return page(
        request,
        "verification.html",
        {
            "title": "Verification",
            "result": audit.verify(quarterly.chain, quarterly.mapper),
            "seals": audit.seals(quarterly.chain, quarterly.mapper),
        },
        session=session,
    )
