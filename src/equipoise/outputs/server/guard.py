"""The checks every request passes before an endpoint sees it: its Host header, the site
it comes from, and, on an annotating server, a write's token, type and origin.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from equipoise.outputs.server.policy import (
    _JUDGEMENTS,
    _OWN_REQUESTS,
    _SECURITY_HEADERS,
    TOKEN_HEADER,
)


def _host_name(header: str) -> str:
    """The host of a Host header, without its port: ``[::1]:8765`` gives ``[::1]``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _refused_write(request: Request, token: str) -> tuple[int, str] | None:
    """Why a write to the annotating server is refused, as (status, message), or None.

    The token must match; the body must be JSON (a form on another site can send only
    form encodings and plain text without asking first); a browser's Origin must be
    this server's own."""
    given = request.headers.get(TOKEN_HEADER, "")
    if not given or not secrets.compare_digest(given.encode(), token.encode()):
        return 403, f"a judgement needs the page's token in the {TOKEN_HEADER} header"
    origin = request.headers.get("origin")
    if origin is not None:
        own = {f"{scheme}://{request.headers.get('host', '')}".lower()
               for scheme in ("http", "https")}
        if origin.lower() not in own:
            return 403, f"writes from another origin ({origin}) are refused"
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        return 415, "a judgement is sent as application/json"
    return None


def add_guard(app: FastAPI, *, hosts: set[str], annotate: bool, token: str) -> None:
    """Refuse requests for other hosts, API requests from other sites and writes without the
    page's token; add the security headers to every answer."""

    @app.middleware("http")
    async def _guard(request: Request, call_next):
        site = request.headers.get("sec-fetch-site", "none").strip().lower()
        if "*" not in hosts and _host_name(request.headers.get("host", "")) not in hosts:
            response = JSONResponse({"detail": "invalid Host header"}, status_code=400)
        elif request.url.path.startswith("/api/") and site not in _OWN_REQUESTS:
            # A browser says where a request comes from: an image or script on another
            # site's page may not make this server compute.
            response = JSONResponse(
                {"detail": f"requests from another site ({site}) are refused"}, status_code=403
            )
        elif (annotate and request.url.path == _JUDGEMENTS
              and request.method not in ("GET", "HEAD", "OPTIONS")):
            refused = _refused_write(request, token)
            response = (JSONResponse({"detail": refused[1]}, status_code=refused[0])
                        if refused else await call_next(request))
        else:
            response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
