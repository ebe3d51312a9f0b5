"""The dashboard page, its static files and the offline API reference."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from equipoise.outputs.server.http_errors import ApiError
from equipoise.outputs.server.policy import _CSP

# outputs/static, whose charts.js the report embeds too.
_STATIC = Path(__file__).parent.parent / "static"


def add_page(app: FastAPI, *, label: str, annotate: bool, token: str) -> None:
    """The page at ``/`` (showing ``label``, the store's name), ``/docs``, the favicon and
    ``/static``."""

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        """The API reference, written from the OpenAPI description; works offline."""
        from equipoise.outputs import apidocs

        return HTMLResponse(apidocs.render(app.openapi()))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request) -> HTMLResponse:
        if request.query_params:
            raise ApiError(422, "the page takes no query parameters (it reads the #fragment)")
        html = _template().render(
            store_name=label,
            has_unvotes=app.state.un_votes is not None,
            version=_version(),
            annotate=annotate,
            token=token,
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": _CSP})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=_STATIC, check_dir=False), name="static")


@lru_cache(maxsize=1)
def _template():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("equipoise.outputs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("dashboard.html.j2")


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("equipoise")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
