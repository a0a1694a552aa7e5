"""``GET /api/v1/health``: no token; 503 when the store or the projection is failing."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from infra.http.deps import ServiceDep
from infra.http.failure_note import note_failure
from infra.http.request_log import RETRY_AFTER_SECONDS
from infra.http.schemas import Health
from infra.logging import error_fields

router = APIRouter(prefix="/api/v1", tags=["health"])


@router.api_route(
    "/health",
    methods=["GET", "HEAD"],  # HEAD for load balancers and probes that only want the status
    response_model=Health,
    responses={503: {"model": Health}},
    summary="Store reachability, projection position and lag (no token needed)",
)
def health(request: Request, response: Response, service: ServiceDep) -> Health:
    """``ok``; ``unreachable`` when the store cannot be read; ``degraded`` when it can but
    the server's projection follower cannot catch up. Both failures are written on the
    request's log line and answered 503 with ``Retry-After``."""
    failing_since = service.projection_failing_since
    known = Health(
        status="ok",
        store=service.store_kind,
        head_position=None,
        projection_position=None,
        projection_lag=None,
        projection_error=service.projection_error,
        projection_failing_since=failing_since.isoformat() if failing_since else None,
    )
    runner = service.quarterly.runner
    try:
        head, position = runner.head(), runner.position()
    except Exception as error:
        fields = error_fields(error)
        note_failure(request.scope, fields["error_type"], fields["error"])
        return _unavailable(response, known.model_copy(update={"status": "unreachable"}))
    measured = known.model_copy(
        update={
            "head_position": head,
            "projection_position": position,
            "projection_lag": max(head - position, 0),
        }
    )
    if measured.projection_error is not None:
        note_failure(request.scope, "ProjectionFailing", measured.projection_error)
        return _unavailable(response, measured.model_copy(update={"status": "degraded"}))
    return measured


def _unavailable(response: Response, health: Health) -> Health:
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return health
