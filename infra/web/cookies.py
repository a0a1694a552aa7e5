"""The cookies the pages set: HttpOnly, SameSite=Strict, and Secure whenever the request
came over HTTPS (directly, or through a proxy that says so in ``X-Forwarded-Proto``)."""

from __future__ import annotations

from fastapi import Request, Response


def over_https(request: Request) -> bool:
    """Whether the person's browser reached us over HTTPS."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def set_cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    *,
    path: str = "/",
    max_age: int | None = None,
) -> None:
    """Sets a cookie scripts cannot read and other sites' pages never send."""
    response.set_cookie(
        name,
        value,
        path=path,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=over_https(request),
    )


def delete_cookie(request: Request, response: Response, name: str, *, path: str = "/") -> None:
    """Removes a cookie set by :func:`set_cookie`."""
    response.delete_cookie(
        name, path=path, httponly=True, samesite="strict", secure=over_https(request)
    )
