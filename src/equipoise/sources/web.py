"""Fetching from the web politely: one request at a time, a pause per host, 429 honoured.

:class:`PoliteClient` is the one way equipoise asks a web server for anything (feeds,
the GDELT DOC API, articles). Requests go out one after another, never in parallel; a
host is asked again only ``delay`` seconds after its last answer ended (longer where
``host_delays`` says so); a 429 (or a 503 with ``Retry-After``) waits as told and tries
again a few times; every request has a timeout and a User-Agent that names equipoise,
its version and where to read about it. An answer that is not what was wanted raises
:class:`FetchError`, whose ``reason`` is short enough to count failures by.

:func:`normalise_url` gives the form under which an article is known, so one article
reached by two spellings of its URL is fetched once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from equipoise.sources.errors import SourceError

PROJECT_URL = "https://pypi.org/project/equipoise/"


def user_agent(contact: str | None = None) -> str:
    """``equipoise/VERSION (+URL)``, with the operator's ``contact`` added when given."""
    from equipoise import __version__

    extra = f"; {contact}" if contact else ""
    return f"equipoise/{__version__} (+{PROJECT_URL}{extra})"


DEFAULT_DELAY = 1.0
"""Seconds between two requests to one host."""
DEFAULT_TIMEOUT = 30.0
MAX_BODY_BYTES = 16 * 1024 * 1024
"""Largest answer read; a news page or feed is far smaller."""
RETRIES = 2
"""Further tries after a 429 (or a 503 that says when to come back)."""
MAX_WAIT = 300.0
"""Longest wait a Retry-After is followed for; beyond it the request is given up."""

# Query parameters that track the reader, not the article: dropped from known URLs.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "matomo_", "hsa_", "_hs")
_TRACKING_NAMES = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mkt_tok",
    "_ga", "_gl", "ocid", "cmpid", "ito", "icid", "smid", "spm", "ref_src", "at_medium",
    "at_campaign", "cmp", "mbid",
}  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(SourceError):
    """A URL whose answer could not be used; ``reason`` names the kind of failure
    (``HTTP 404``, ``not HTML``, ``empty answer``, ``timeout``...)."""

    def __init__(self, url: str, message: str, reason: str | None = None) -> None:
        super().__init__(url, message)
        self.reason = reason or message

    def __reduce__(self):
        return (type(self), (self.path, self.message, self.reason))


def normalise_url(url: str) -> str:
    """The form an article is known by: scheme and host in lower case, the default port,
    the fragment and tracking parameters (``utm_*``, ``fbclid``...) dropped, the query
    sorted, and an empty path written ``/``.

    Raises ValueError for what is not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"bad port in {url!r}") from None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        raise ValueError(f"a URL with a user name or password is not collected: {url!r}")
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(name)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(sorted(query)), ""))


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def host_of(url: str) -> str:
    """The host (and port, if not the default) a request to ``url`` goes to."""
    return urlsplit(url).netloc.lower()


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: a number of seconds or an HTTP
    date; None when missing or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True, slots=True)
class Fetched:
    """An answer with status 200: the URL asked for, the URL answered (after
    redirects), the media type (``text/html``, lower case, no parameters) and the body."""

    url: str
    final_url: str
    media_type: str
    body: bytes


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


class PoliteClient(AbstractContextManager["PoliteClient"]):
    """Sequential GET requests with a pause per host; see the module docstring.

    ``clock`` and ``sleep`` are what the pauses are measured and waited with (a test
    gives its own); ``transport`` is passed to httpx.
    """

    def __init__(
        self,
        *,
        delay: float = DEFAULT_DELAY,
        host_delays: Mapping[str, float] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = RETRIES,
        max_wait: float = MAX_WAIT,
        max_bytes: int = MAX_BODY_BYTES,
        contact: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if delay < 0 or timeout <= 0:
            raise ValueError("the delay must be 0 or more and the timeout above 0")
        self.delay = delay
        self.host_delays = {host.lower(): wait for host, wait in (host_delays or {}).items()}
        self.retries = retries
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.user_agent = user_agent(contact)
        self._clock = clock
        self._sleep = sleep if sleep is not None else _sleep
        self._next: dict[str, float] = {}  # host -> clock time it may be asked again
        self.requests = 0
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=True, max_redirects=5, transport=transport,
            headers={"User-Agent": self.user_agent},
        )  # fmt: skip

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def delay_for(self, host: str) -> float:
        return max(self.delay, self.host_delays.get(host.lower(), 0.0))

    def ready_in(self, url: str) -> float:
        """Seconds until the host of ``url`` may be asked again (0 if now)."""
        return max(0.0, self._next.get(host_of(url), 0.0) - self._clock())

    def get(self, url: str, params: Mapping[str, str] | None = None,
            accept: str | None = None) -> Fetched:
        """GET ``url``: the answer with status 200, or FetchError."""
        host = host_of(url)
        headers = {"Accept": accept} if accept else {}
        for attempt in range(self.retries + 1):
            wait = self.ready_in(url)
            if wait > 0:
                self._sleep(wait)
            self.requests += 1
            try:
                answer = self._request(url, params, headers)
            finally:
                self._next[host] = self._clock() + self.delay_for(host)
            if isinstance(answer, Fetched):
                return answer
            status, asked = answer
            if status == 429 or (status == 503 and asked is not None):
                wait = asked if asked is not None else self.delay_for(host) * 2 ** (attempt + 1)
                if attempt < self.retries and wait <= self.max_wait:
                    # The host's own word on when to come back replaces the usual pause.
                    self._next[host] = max(self._next[host], self._clock() + wait)
                    continue
                reason = "rate limited" if status == 429 else f"HTTP {status}"
                raise FetchError(url, f"{reason} (HTTP {status}) after {attempt + 1} tries",
                                 reason)
            raise FetchError(url, f"HTTP {status}", f"HTTP {status}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, url: str, params, headers) -> Fetched | tuple[int, float | None]:
        """One request: the 200 answer, or (status, Retry-After seconds) for any other."""
        try:
            with self._client.stream("GET", url, params=params, headers=headers) as response:
                if response.status_code != 200:
                    return response.status_code, retry_after(response.headers.get("Retry-After"))
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(url, f"answer of {int(length):,} bytes is too large",
                                     "too large")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"answer larger than {self.max_bytes:,} bytes",
                                         "too large")
                    chunks.append(chunk)
                media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return Fetched(url, str(response.url), media, b"".join(chunks))
        except httpx.TimeoutException:
            raise FetchError(url, "timed out", "timeout") from None
        except httpx.TooManyRedirects:
            raise FetchError(url, "too many redirects", "too many redirects") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            detail = " ".join(str(exc).split())[:200]
            raise FetchError(url, f"cannot connect: {type(exc).__name__}: {detail}",
                             "connection failed") from None
