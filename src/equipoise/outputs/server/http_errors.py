"""How errors reach the client: 422 for a question the analysis refuses, 503 for a store
that cannot be read, 500 with an id the log repeats for anything else.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from equipoise.errors import BadInputError, InvalidQueryError, UnknownCodeError

# Errors about the request that the API answers 422; any other exception is internal.
_REQUEST_ERRORS = (InvalidQueryError, UnknownCodeError, BadInputError)

log = logging.getLogger("equipoise.server")


class ApiError(Exception):
    """An error the API answers with ``status`` and a JSON ``{"detail": message}``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _error_text(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body")]
    name = ".".join(loc)
    if error.get("type") == "extra_forbidden":
        return f"unknown query parameter {name!r}"
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return f"{name}: {message}" if name else message


def add_error_handlers(app: FastAPI) -> None:
    """Answer every error as JSON ``{"detail": ...}``; an internal one with an error id."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": _error_text(e), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(e["msg"] for e in errors) or "invalid request"
        return JSONResponse({"detail": detail, "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The log gets the traceback under an id; the client gets the id, never the trace.
        error_id = uuid.uuid4().hex[:12]
        log.error(
            "internal error %s on %s %s", error_id, request.method, request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )  # fmt: skip
        return JSONResponse(
            {
                "detail": f"internal error ({type(exc).__name__}, id {error_id}); "
                "see the server log",
                "error_id": error_id,
            },
            status_code=500,
        )
