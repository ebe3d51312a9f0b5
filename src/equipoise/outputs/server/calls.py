"""Running one request's work: the store opened for it and closed after, the
:mod:`equipoise.api` call with its errors made HTTP ones, and the turns analyses wait for.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from equipoise import api
from equipoise.analysis.query import Query
from equipoise.outputs.server.http_errors import _REQUEST_ERRORS, ApiError
from equipoise.outputs.server.policy import MAX_POLES
from equipoise.store import Store, StoreError
from equipoise.store.db import EventReader

_Opened = TypeVar("_Opened", bound=EventReader)


@contextmanager
def _for_request(opener: Callable[[], _Opened]) -> Iterator[_Opened]:
    """What ``opener`` opens, held for one request and closed after it; a store that cannot
    be opened is a 503."""
    try:
        store = opener()
    except StoreError as exc:
        raise ApiError(503, str(exc)) from None
    try:
        yield store
    finally:
        store.close()


def open_store(db_path: str | os.PathLike[str] | None, events: str | None = None
               ) -> AbstractContextManager[Store | EventReader]:
    """The store (or the Parquet event dataset ``events``) opened read-only for one
    request; one that cannot be read is a 503."""
    return _for_request(lambda: api.open_events(events=events) if events is not None
                        else Store(db_path or "", read_only=True))  # fmt: skip


def _writable(db_path: Path) -> AbstractContextManager[Store]:
    """The store opened for writing for one judgement; one that cannot be opened (another
    process writing it) is a 503."""
    return _for_request(lambda: Store(db_path))


def _call(function, *args, **kwargs):
    """Run an :mod:`equipoise.api` function: a store that cannot be read is a 503; a
    question the analysis refuses, an unknown code or unreadable input a 422, each with
    the message. Anything else is left to the internal-error handler (500)."""
    try:
        return function(*args, **kwargs)
    except StoreError as exc:
        raise ApiError(503, str(exc)) from None
    except _REQUEST_ERRORS as exc:
        raise ApiError(422, str(exc)) from None


def _asked(build: Callable[[], Query]) -> Query:
    """The request's :class:`Query` (a refused one is a 422 with its message), within
    this server's budget of poles."""
    query = _call(build)
    if len(query.poles) > MAX_POLES:
        raise ApiError(422, f"poles: at most {MAX_POLES} poles")
    return query


# Enters a request's turn among the analyses (:class:`_Turns`).
Computing = Callable[[], AbstractContextManager[Any]]


class _Turns:
    """At most ``n`` analyses at once; a request that cannot start within ``timeout``
    seconds is answered 503."""

    def __init__(self, n: int, timeout: float) -> None:
        self._slots = threading.BoundedSemaphore(n)
        self.timeout = timeout

    @contextmanager
    def turn(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=self.timeout):
            raise ApiError(503, "busy with other analyses; try again in a moment")
        try:
            yield
        finally:
            self._slots.release()
