"""The FastAPI application of the dashboard and its API, and the command that serves it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI

from equipoise.outputs.server.analysis_endpoints import add_analysis_endpoints
from equipoise.outputs.server.calls import _Turns
from equipoise.outputs.server.event_endpoints import add_event_endpoints
from equipoise.outputs.server.guard import add_guard
from equipoise.outputs.server.http_errors import add_error_handlers
from equipoise.outputs.server.page import _version, add_page
from equipoise.outputs.server.place_endpoints import add_place_endpoints
from equipoise.outputs.server.policy import (
    ANALYSES_AT_ONCE,
    BUSY_TIMEOUT,
    DEFAULT_HOST,
    DEFAULT_PORT,
    LOCAL_HOSTS,
)
from equipoise.outputs.server.unvote_endpoints import add_unvote_endpoints


def create_app(
    db_path: str | os.PathLike[str] | None,
    un_votes: pd.DataFrame | None = None,
    *,
    events: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    busy_timeout: float = BUSY_TIMEOUT,
    annotate: bool = False,
    who: str = "",
) -> FastAPI:
    """The dashboard and its JSON API over the store at ``db_path``, opened read-only, or
    over the Parquet event dataset ``events`` (a folder or fsspec URL; ``db_path`` None).

    ``un_votes`` (the table of :mod:`equipoise.sources.unvotes`) turns on
    ``/api/unvotes``. ``allowed_hosts`` are the Host headers accepted (default the
    loopback names); ``["*"]`` accepts any. A request waits at most ``busy_timeout``
    seconds for its turn to compute (503 after that). ``annotate`` lets the page
    record the analyst's judgements of events (as ``who``); it needs loopback hosts.
    """
    if (db_path is None) == (events is None):
        raise ValueError("give a store or a Parquet event dataset")
    if annotate and db_path is None:
        raise ValueError("annotating stores judgements in a store: a Parquet event dataset "
                         "has none")
    db = Path(db_path).expanduser() if db_path is not None else None
    # What every api call reads, and the name the page shows.
    where: dict[str, Any] = {"db": db} if db is not None else {"events": events}
    label = db.name if db is not None else str(events).rstrip("/").rsplit("/", 1)[-1]
    hosts = {h.lower() for h in (allowed_hosts if allowed_hosts is not None else LOCAL_HOSTS)}
    if annotate and not hosts <= set(LOCAL_HOSTS):
        raise ValueError("annotating is for a dashboard on 127.0.0.1 only")
    # Known to the page this server serves and to nothing else: a write must carry it.
    token = secrets.token_urlsafe(32) if annotate else ""
    app = FastAPI(
        title="equipoise dashboard API",
        version=_version(),
        description=(
            "Read-only JSON over an equipoise store: which way a focal state leans between "
            "rival poles, how sure that is, when it changed and which events drove it. "
            "Numbers are those of `equipoise align` and the report. Errors are JSON "
            '`{"detail": message}`; unknown query parameters are refused (422); an internal '
            "error is 500 with an `error_id` that the server log repeats."
        ),
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.db_path = db
    app.state.un_votes = un_votes
    app.state.turns = _Turns(ANALYSES_AT_ONCE, busy_timeout)
    app.state.annotate = annotate

    def computing():
        return app.state.turns.turn()

    add_guard(app, hosts=hosts, annotate=annotate, token=token)
    add_error_handlers(app)
    add_page(app, label=label, annotate=annotate, token=token)
    add_analysis_endpoints(app, where=where, db=db, events=events, label=label,
                           annotate=annotate, computing=computing)
    add_event_endpoints(app, where=where, db=db, events=events, annotate=annotate, who=who,
                        computing=computing)
    add_place_endpoints(app, where=where, computing=computing)
    add_unvote_endpoints(app, un_votes=un_votes)
    return app


def serve(
    db: str | os.PathLike[str] | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    un_votes: pd.DataFrame | None = None,
    events: str | None = None,
    log_level: str = "info",
    annotate: bool = False,
    who: str = "",
) -> None:
    """Serve the dashboard for the store ``db`` at http://host:port/ until interrupted.

    Bound to 127.0.0.1 by default: the dashboard has no login, so binding to another
    address shows the store to everyone who can reach it. ``annotate`` (judgements from
    the page, recorded as ``who``) is refused on any address but the loopback ones.
    """
    import uvicorn

    if annotate and host not in LOCAL_HOSTS:
        raise ValueError(f"annotating is for a dashboard on 127.0.0.1 only, not {host}")
    hosts = list(LOCAL_HOSTS)
    if host in ("0.0.0.0", "::", ""):
        hosts = ["*"]
    elif host not in hosts:
        hosts.append(host)
    app = create_app(db, un_votes=un_votes, events=events, allowed_hosts=hosts,
                     annotate=annotate, who=who)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
