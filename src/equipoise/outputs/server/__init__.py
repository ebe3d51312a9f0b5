"""``equipoise serve``: a local web dashboard over a store, and its JSON API.

:func:`create_app` builds the FastAPI application; :func:`serve` runs it with uvicorn,
bound to 127.0.0.1 unless told otherwise. The page at ``/`` draws the same charts as
the HTML report from the JSON API under ``/api/``, whose reference is the OpenAPI
description at ``/openapi.json`` (the interactive ``/docs`` pages are switched off:
they load their scripts from a CDN, and this server needs no network).

Every number comes from the functions behind the command line: :func:`equipoise.api.analyse`
(the alignment, equidistance, summary and verdict of one
:class:`~equipoise.analysis.result.Analysis`), :func:`equipoise.api.find_changepoints`,
:func:`equipoise.api.load_events` and :func:`equipoise.api.un_agreement`.

Read-only
    Each request opens the store read-only (DuckDB ``read_only=True``, as the Python API
    does) and closes it before answering, so the server never writes and holds no lock
    between requests. DuckDB lets readers in only while no writer holds the file: while
    ``equipoise ingest`` or ``code`` runs, the API answers 503 with the reason, and works
    again when the writer is done, without a restart.
Parameters
    Every endpoint parses its query parameters with a pydantic model that forbids
    unknown ones, then builds a :class:`~equipoise.analysis.query.Query`, which checks
    them as the command line and the Python API do. A bad or unknown parameter gives 422
    with a JSON ``{"detail": ...}`` message naming it; every SQL value is bound, never
    pasted into SQL.
Errors
    A question the analysis refuses, an unknown code or input that cannot be read (the
    classes of :mod:`equipoise.errors`) is answered 422 with its message, a store that
    cannot be opened 503. Any other exception is a fault of equipoise: the log gets its
    traceback under a short error id, the client 500 with that id and no trace.
Untrusted text
    News text (sentences, titles, URLs, actor mentions) goes out as JSON strings only.
    The page inlines nothing from the store and its script writes such text with
    ``textContent``; a Content-Security-Policy allows scripts from this server only.
Budget
    One request can cost only so much: at most ``MAX_POLES`` poles and ``MAX_N_BOOT``
    replicates, and periods x poles (x replicates) within the bounds of
    :mod:`equipoise.analysis.limits`, checked before the store is read when the window is
    given and before any counting when it is not (422 with the way to shrink it). Unknown
    codes are refused with the closest known ones (422). Analyses run one at a time
    (``ANALYSES_AT_ONCE``), so many requests at once cost no more memory than one; a
    request that waits longer than ``busy_timeout`` seconds gets 503. API requests that a
    browser marks as coming from another site (``Sec-Fetch-Site``), such as an image tag
    on a web page the analyst visits, are refused (403).
Annotating
    Only with ``annotate=True`` (``equipoise serve --annotate``, on 127.0.0.1 only) does
    the server write, and only the analyst's judgements of events (``POST`` and
    ``DELETE /api/judgements``, through :meth:`~equipoise.store.Store.judge`, as
    ``equipoise judge`` does). A write must carry the server's random token, which only
    the page it serves holds, in the ``X-Equipoise-Token`` header, be JSON, and come
    from this server's own origin: a page on another site can neither read the token
    nor send that header without the browser asking this server first, which it
    refuses. Without annotating those methods do not exist (405).
Modules
    :mod:`.app` builds the application from the parts: :mod:`.policy` (hosts, budget,
    headers), :mod:`.guard` (the checks before any endpoint), :mod:`.http_errors`,
    :mod:`.calls` (a request's store and api call), :mod:`.params` and :mod:`.responses`
    (the models of ``/openapi.json``), :mod:`.page`, and the endpoints by subject
    (:mod:`.analysis_endpoints`, :mod:`.event_endpoints`, :mod:`.place_endpoints`,
    :mod:`.unvote_endpoints`). Every public name is importable from here.
"""

from __future__ import annotations

from equipoise.outputs.server.app import create_app, serve
from equipoise.outputs.server.calls import open_store
from equipoise.outputs.server.http_errors import ApiError as ApiError
from equipoise.outputs.server.params import EXPORTS as EXPORTS
from equipoise.outputs.server.params import ActorsQuery as ActorsQuery
from equipoise.outputs.server.params import AlignQuery as AlignQuery
from equipoise.outputs.server.params import ChangepointQuery as ChangepointQuery
from equipoise.outputs.server.params import EventKey as EventKey
from equipoise.outputs.server.params import EventsQuery as EventsQuery
from equipoise.outputs.server.params import Judgement as Judgement
from equipoise.outputs.server.params import OptionalDate as OptionalDate
from equipoise.outputs.server.params import PlacesQuery as PlacesQuery
from equipoise.outputs.server.params import SpanQuery as SpanQuery
from equipoise.outputs.server.params import UnvotesQuery as UnvotesQuery
from equipoise.outputs.server.params import WindowQuery as WindowQuery
from equipoise.outputs.server.policy import ANALYSES_AT_ONCE as ANALYSES_AT_ONCE
from equipoise.outputs.server.policy import BUSY_TIMEOUT as BUSY_TIMEOUT
from equipoise.outputs.server.policy import DEFAULT_HOST, DEFAULT_PORT
from equipoise.outputs.server.policy import LOCAL_HOSTS as LOCAL_HOSTS
from equipoise.outputs.server.policy import MAX_EVENTS as MAX_EVENTS
from equipoise.outputs.server.policy import MAX_N_BOOT as MAX_N_BOOT
from equipoise.outputs.server.policy import MAX_POLES as MAX_POLES
from equipoise.outputs.server.policy import PARTNERS as PARTNERS
from equipoise.outputs.server.policy import TOKEN_HEADER as TOKEN_HEADER
from equipoise.outputs.server.responses import ActorCount as ActorCount
from equipoise.outputs.server.responses import ActorsResponse as ActorsResponse
from equipoise.outputs.server.responses import AlignResponse as AlignResponse
from equipoise.outputs.server.responses import BlocCode as BlocCode
from equipoise.outputs.server.responses import ChangepointsResponse as ChangepointsResponse
from equipoise.outputs.server.responses import EventsResponse as EventsResponse
from equipoise.outputs.server.responses import JudgementsResponse as JudgementsResponse
from equipoise.outputs.server.responses import OutlinesResponse as OutlinesResponse
from equipoise.outputs.server.responses import PlacesResponse as PlacesResponse
from equipoise.outputs.server.responses import Record as Record
from equipoise.outputs.server.responses import SpanResponse as SpanResponse
from equipoise.outputs.server.responses import UnvotesResponse as UnvotesResponse

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "open_store", "serve"]
