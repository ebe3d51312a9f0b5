"""Fetching GDELT event files: the published file lists, the files of a date window, and
downloads checked against the size and MD5 the lists give.

Where GDELT publishes them (``BASE`` is ``http://data.gdeltproject.org`` unless a mirror
is named):

* GDELT 1.0: ``BASE/events/md5sums`` (``md5  name`` a line) and ``BASE/events/filesizes``
  (``bytes name``) list ``YYYYMMDD.export.CSV.zip``, one file a day from 2013-04-01 holding
  the events found that day; before that, ``YYYYMM.zip`` (2006 to March 2013) and
  ``YYYY.zip`` (1979 to 2005) hold the events that took place in that month or year.
* GDELT 2.0: ``BASE/gdeltv2/masterfilelist.txt`` (``bytes md5 url`` a line) lists every
  15-minute file from 2015-02-18; the events are in ``YYYYMMDDHHMMSS.export.CSV.zip``.
  The list is kept in the cache and completed from where it ends (it only grows).

A file is downloaded to ``NAME.part`` in the cache and renamed only once its size and
MD5 are right, so a file in the cache under its own name is always whole. An interrupted
download is resumed from the ``.part`` left behind (an HTTP range request), or begun
again when the server ignores ranges or the result does not check out. Server errors
(5xx), timeouts and dropped connections are retried with exponential backoff; a file
the server does not have (404) is reported and skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from equipoise.errors import EquipoiseError
from equipoise.sources.datasets import ImportReport
from equipoise.sources.errors import SourceError
from equipoise.sources.filters import EventFilter
from equipoise.sources.importing import import_file
from equipoise.store import Store

DEFAULT_BASE_URL = "http://data.gdeltproject.org"
V1_FOLDER, V2_FOLDER = "events", "gdeltv2"
V1_MD5SUMS, V1_FILESIZES = f"{V1_FOLDER}/md5sums", f"{V1_FOLDER}/filesizes"
V2_MASTER_LIST = f"{V2_FOLDER}/masterfilelist.txt"
CACHE_ENV = "EQUIPOISE_CACHE"

_V1_DAY = re.compile(r"(\d{8})\.export\.CSV\.zip")
_V1_MONTH = re.compile(r"(\d{6})\.zip")
_V1_YEAR = re.compile(r"(\d{4})\.zip")
_V2_EXPORT = re.compile(r"(\d{14})\.export\.CSV\.zip")
_MD5 = re.compile(r"[0-9a-fA-F]{32}")
_T = TypeVar("_T")
_OVERLAP = 4096  # bytes of a cached master list checked against the server's before appending


class FetchError(EquipoiseError):
    """A file list that cannot be had from the server, or a window that lists nothing."""


def user_agent() -> str:
    """What equipoise calls itself to GDELT's server."""
    from equipoise import __version__

    return f"equipoise/{__version__} (GDELT event fetch; httpx/{httpx.__version__})"


def default_cache_dir() -> Path:
    """Where downloads are kept: ``$EQUIPOISE_CACHE/gdelt``, else the user's cache folder
    (``~/.cache/equipoise/gdelt`` on Linux, ``~/Library/Caches/equipoise/gdelt`` on
    macOS, ``%LOCALAPPDATA%\\equipoise\\Cache\\gdelt`` on Windows)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser() / "gdelt"
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "equipoise" / "Cache" \
            / "gdelt"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "equipoise" / "gdelt"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / "equipoise" / "gdelt"


# -- the file lists -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One event file as a list gives it: ``path`` below the base URL (``events/NAME``
    or ``gdeltv2/NAME``), its size in bytes (None if unlisted) and MD5, and the days
    its name covers."""

    path: str
    size: int | None
    md5: str
    first: dt.date
    last: dt.date
    version: int

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def v1_files(md5sums: Iterable[str], filesizes: Iterable[str] = ()) -> list[RemoteFile]:
    """The event files of GDELT 1.0's ``md5sums`` and ``filesizes`` lines, by name.

    Lines that are not an event file (other archives, blanks) are passed over; a file
    without a listed size is checked by its MD5 alone.
    """
    sizes: dict[str, int] = {}
    for line in filesizes:
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            sizes[parts[1]] = int(parts[0])
    found: dict[str, RemoteFile] = {}
    for line in md5sums:
        parts = line.split()
        if len(parts) != 2 or not _MD5.fullmatch(parts[0]):
            continue
        digest, name = parts[0].lower(), parts[1].lstrip("*")
        span = _v1_span(name)
        if span is not None:
            found[name] = RemoteFile(f"{V1_FOLDER}/{name}", sizes.get(name), digest, *span, 1)
    return sorted(found.values(), key=lambda f: (f.first, f.name))


def _v1_span(name: str) -> tuple[dt.date, dt.date] | None:
    """The days a GDELT 1.0 file name covers, or None for a name that is no event file."""
    try:
        if match := _V1_DAY.fullmatch(name):
            day = dt.datetime.strptime(match[1], "%Y%m%d").date()
            return day, day
        if match := _V1_MONTH.fullmatch(name):
            first = dt.datetime.strptime(match[1], "%Y%m").date()
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return first, following - dt.timedelta(days=1)
        if match := _V1_YEAR.fullmatch(name):
            year = int(match[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:  # a name shaped like a date that is none (20130231)
        return None
    return None


def v2_files(lines: Iterable[str], start: dt.date | None = None,
             end: dt.date | None = None) -> Iterator[RemoteFile]:  # fmt: skip
    """The event (``export``) files of GDELT 2.0's master list lines, each ``bytes md5
    url``, dated ``start`` to ``end`` (by the UTC day of the 15 minutes they cover).

    The list also names mentions and knowledge-graph files, passed over here, and holds
    a few lines with a field missing, passed over too.
    """
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or not _MD5.fullmatch(parts[1]):
            continue
        name = urlsplit(parts[2]).path.rsplit("/", 1)[-1]
        match = _V2_EXPORT.fullmatch(name)
        if match is None:
            continue
        try:
            day = dt.datetime.strptime(match[1][:8], "%Y%m%d").date()
        except ValueError:
            continue
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        yield RemoteFile(f"{V2_FOLDER}/{name}", int(parts[0]), parts[1].lower(), day, day, 2)


def in_window(files: Iterable[RemoteFile], start: dt.date, end: dt.date) -> list[RemoteFile]:
    """The files that cover a day from ``start`` to ``end``, in the order of their days."""
    chosen = [f for f in files if f.first <= end and f.last >= start]
    return sorted(chosen, key=lambda f: (f.first, f.name))


def uncovered(files: Iterable[RemoteFile], start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` that no file covers (before GDELT began, days
    it skipped, today before its file is out)."""
    covered: set[dt.date] = set()
    for f in files:
        day = max(f.first, start)
        while day <= min(f.last, end):
            covered.add(day)
            day += dt.timedelta(days=1)
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if day not in covered]


# -- downloading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Retry:
    """How often a request is tried and how long to wait between tries: ``first_delay``
    seconds, doubled each time up to ``max_delay``. ``sleep`` waits (tests pass their own)."""

    attempts: int = 5
    first_delay: float = 2.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, failures: int) -> float:
        """The wait after the ``failures``-th failure in a row (1, 2, ...)."""
        return min(self.first_delay * 2 ** (failures - 1), self.max_delay)


class _Transient(Exception):
    """A failure that trying again may cure: 5xx, timeout, dropped connection, bad bytes."""


class _Permanent(Exception):
    """A failure that trying again will not cure: 404 and the other 4xx."""


# Requests httpx gives up on for good (too many redirects, an unreadable answer), as
# against its transport errors (timeouts, dropped or refused connections), tried again.
_FOR_GOOD = (_Permanent, httpx.TooManyRedirects, httpx.DecodingError, httpx.UnsupportedProtocol)


Status = Literal["fetched", "cached", "failed"]


@dataclass(frozen=True, slots=True)
class Download:
    """What became of one file: ``fetched`` (downloaded now), ``cached`` (already whole
    in the cache) or ``failed`` (``reason`` says why); ``path`` is the checked file."""

    file: RemoteFile
    status: Status
    path: Path | None = None
    reason: str | None = None
    received: int = 0  # bytes downloaded for it this time


class Fetcher(AbstractContextManager["Fetcher"]):
    """Downloads from GDELT (or the mirror at ``base_url``) into ``cache``.

    Use as a context manager. ``timeout`` bounds each connect and each read, in seconds;
    ``client`` replaces the HTTP client (its timeouts and headers are then the caller's).
    """

    def __init__(
        self,
        cache: str | os.PathLike[str] | None = None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 60.0,
        retry: Retry | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"base URL {base_url!r} is not an http:// or https:// URL")
        self.base_url = base_url.rstrip("/")
        self.cache = Path(cache) if cache is not None else default_cache_dir()
        self.retry = retry if retry is not None else Retry()
        self._client = client if client is not None else httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True,
            # Identity: byte ranges then count the file's own bytes, for resuming.
            headers={"User-Agent": user_agent(), "Accept-Encoding": "identity"},
        )  # fmt: skip

    def close(self) -> None:
        self._client.close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    # -- lists --------------------------------------------------------------------------

    def files(self, version: int, start: dt.date, end: dt.date) -> list[RemoteFile]:
        """The event files of GDELT ``version`` (1 or 2) that cover ``start`` to ``end``."""
        if version == 1:
            sums = self._text(V1_MD5SUMS)
            try:
                sizes = self._text(V1_FILESIZES)
            except FetchError:
                sizes = []  # the MD5 still checks every byte
            return in_window(v1_files(sums, sizes), start, end)
        if version == 2:
            listed = self._retrying(V2_MASTER_LIST, self._master_list)
            with listed.open(encoding="utf-8", errors="replace") as lines:
                return in_window(v2_files(lines, start, end), start, end)
        raise ValueError(f"GDELT version must be 1 or 2, not {version!r}")

    def _text(self, path: str) -> list[str]:
        def get() -> list[str]:
            with self._client.stream("GET", self.url(path)) as response:
                _check_status(response)
                return list(response.iter_lines())

        return self._retrying(path, get)

    def _master_list(self) -> Path:
        """GDELT 2.0's master list in the cache, brought up to date; returns its path.

        The list runs to over a hundred megabytes and only grows at its end: a copy in
        the cache is completed with a range request for the bytes past its last
        ``_OVERLAP``, which must match the copy's own (else the whole list is read again).
        """
        path = self.cache / V2_MASTER_LIST
        path.parent.mkdir(parents=True, exist_ok=True)
        have = path.stat().st_size if path.is_file() else 0
        if have > _OVERLAP:
            start = have - _OVERLAP
            headers = {"Range": f"bytes={start}-"}
            with self._client.stream("GET", self.url(V2_MASTER_LIST), headers=headers) as got:
                if got.status_code == 416:  # the list is shorter than the copy: read anew
                    return self._whole_list(path)
                _check_status(got)
                if got.status_code == 200:  # the server ignores ranges: this is all of it
                    return self._keep_list(path, got)
                if got.status_code == 206 and _range_start(got) == start:
                    with path.open("r+b") as copy:
                        copy.seek(start)
                        tail = copy.read(_OVERLAP)
                        stream = got.iter_bytes()
                        head = b""
                        for block in stream:
                            head += block
                            if len(head) >= _OVERLAP:
                                break
                        if head[:_OVERLAP] == tail:
                            # Appended in place: bytes cut short by an interruption are
                            # the list's own, completed by the next run the same way.
                            copy.seek(have)
                            copy.write(head[_OVERLAP:])
                            for block in stream:
                                copy.write(block)
                            return path
        return self._whole_list(path)

    def _whole_list(self, path: Path) -> Path:
        with self._client.stream("GET", self.url(V2_MASTER_LIST)) as response:
            _check_status(response)
            return self._keep_list(path, response)

    @staticmethod
    def _keep_list(path: Path, response: httpx.Response) -> Path:
        part = path.with_name(path.name + ".part")
        with part.open("wb") as out:
            for block in response.iter_bytes():
                out.write(block)
        os.replace(part, path)
        return path

    def _retrying(self, path: str, request: Callable[[], _T]) -> _T:
        failures = 0
        while True:
            try:
                return request()
            except _FOR_GOOD as exc:
                raise FetchError(f"{self.url(path)}: {_reason(exc)}") from None
            except (_Transient, httpx.TransportError) as exc:
                failures += 1
                if failures >= self.retry.attempts:
                    raise FetchError(f"{self.url(path)}: {_reason(exc)} "
                                     f"({_tries(failures)})") from None  # fmt: skip
                self.retry.sleep(self.retry.delay(failures))

    # -- files --------------------------------------------------------------------------

    def local(self, remote: RemoteFile) -> Path:
        """Where ``remote`` is kept in the cache (whole or not at all)."""
        folder, name = remote.path.split("/", 1)
        return self.cache / folder / name

    def fetch(self, remote: RemoteFile,
              progress: Callable[[int], None] | None = None) -> Download:  # fmt: skip
        """``remote`` in the cache, checked: downloaded unless already there whole.

        ``progress`` is called with the bytes received so far. Never raises for what the
        server does: a file that cannot be had comes back ``failed`` with the reason.
        """
        target = self.local(remote)
        if target.is_file():
            if _matches(target, remote):
                return Download(remote, "cached", target)
            target.unlink()  # not the listed file (the list changed, or damage): fetch again
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        received = 0
        failures = 0
        while True:
            try:
                received += self._download(remote, part, progress)
                os.replace(part, target)
                return Download(remote, "fetched", target, received=received)
            except _FOR_GOOD as exc:
                return Download(remote, "failed", reason=_reason(exc), received=received)
            except (_Transient, httpx.TransportError) as exc:
                failures += 1
                if failures >= self.retry.attempts:
                    reason = f"{_reason(exc)} ({_tries(failures)})"
                    return Download(remote, "failed", reason=reason, received=received)
                self.retry.sleep(self.retry.delay(failures))

    def _download(self, remote: RemoteFile, part: Path,
                  progress: Callable[[int], None] | None) -> int:  # fmt: skip
        """One try at ``part``: resume it or begin it; check it. Returns bytes received."""
        have = part.stat().st_size if part.is_file() else 0
        if remote.size is not None and have > remote.size:
            part.unlink()
            have = 0
        if have and have == remote.size:
            # Whole but never checked (stopped before its rename): check it as it is.
            if _matches(part, remote):
                return 0
            part.unlink()
            have = 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        digest = hashlib.md5(usedforsecurity=False)
        received = 0
        with self._client.stream("GET", self.url(remote.path), headers=headers) as response:
            if response.status_code == 416:  # the range is past the file: begin again
                part.unlink(missing_ok=True)
                raise _Transient("the server refused to resume the partial download")
            _check_status(response)
            resumed = response.status_code == 206 and _range_start(response) == have
            if response.status_code == 206 and not resumed:
                part.unlink(missing_ok=True)
                raise _Transient("the server resumed at another byte than asked")
            if resumed:
                with part.open("rb") as earlier:
                    while block := earlier.read(1 << 20):
                        digest.update(block)
            else:
                have = 0
            size = have
            # A dropped connection leaves the bytes so far in ``part``: the next try resumes.
            with part.open("ab" if resumed else "wb") as out:
                # Blocks as they arrive: what came before a drop is kept, to resume from.
                for block in response.iter_bytes():
                    out.write(block)
                    digest.update(block)
                    size += len(block)
                    received += len(block)
                    if progress is not None:
                        progress(size)
                    if remote.size is not None and size > remote.size:
                        break
        if remote.size is not None and size != remote.size:
            part.unlink(missing_ok=True)
            raise _Transient(f"got {size:,} bytes where the list says {remote.size:,}")
        if digest.hexdigest() != remote.md5:
            part.unlink(missing_ok=True)
            raise _Transient(f"MD5 {digest.hexdigest()} where the list says {remote.md5}")
        return received


def _check_status(response: httpx.Response) -> None:
    code = response.status_code
    if code in (200, 206):
        return
    if code >= 500 or code in (408, 429):
        raise _Transient(f"HTTP {code} from the server")
    if code == 404:
        raise _Permanent("not on the server (HTTP 404)")
    raise _Permanent(f"HTTP {code} from the server")


def _range_start(response: httpx.Response) -> int | None:
    match = re.fullmatch(r"bytes (\d+)-\d+/(\d+|\*)", response.headers.get("Content-Range", ""))
    return int(match[1]) if match else None


def _tries(count: int) -> str:
    return "tried once" if count == 1 else f"tried {count} times"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.HTTPError) and not isinstance(exc, httpx.TransportError):
        return f"{type(exc).__name__}: {exc}"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "the connection was dropped"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    return str(exc) or type(exc).__name__


def _matches(path: Path, remote: RemoteFile) -> bool:
    """Whether the file at ``path`` has ``remote``'s size and MD5."""
    if remote.size is not None and path.stat().st_size != remote.size:
        return False
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest() == remote.md5


# -- fetching and importing ---------------------------------------------------------------


class Sink(Protocol):
    """Where checked files go: ``done`` says whether a file went there already, with
    the same content and filter; ``take`` imports it."""

    def done(self, remote: RemoteFile, keep: EventFilter) -> bool: ...

    def take(self, path: Path, remote: RemoteFile, keep: EventFilter,
             report: ImportReport, progress: Callable[[int], None] | None) -> None: ...


class StoreSink:
    """Files imported into a store, as ``equipoise import`` does; the store notes each
    file fetched (its MD5 and filter), so that running the fetch again passes it over."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def done(self, remote: RemoteFile, keep: EventFilter) -> bool:
        noted = self.store.get_meta(_note_key(remote))
        return noted is not None and _covers(noted, remote, keep)

    def take(self, path: Path, remote: RemoteFile, keep: EventFilter,
             report: ImportReport, progress: Callable[[int], None] | None) -> None:  # fmt: skip
        import_file(self.store, path, f"gdelt{remote.version}", report, progress=progress,
                    keep=keep)  # fmt: skip
        self.store.set_meta(_note_key(remote), _note(remote, keep))


class ParquetSink:
    """Files written as Parquet, one ``NAME.parquet`` of the events kept for each file,
    with the columns of the store's ``events`` table; the file's MD5 and the filter are
    in the Parquet metadata, so that running the fetch again passes it over."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path(self, remote: RemoteFile) -> Path:
        return self.folder / f"{remote.name.removesuffix('.zip')}.parquet"

    def done(self, remote: RemoteFile, keep: EventFilter) -> bool:
        import pyarrow as pa
        import pyarrow.parquet as pq

        target = self.path(remote)
        if not target.is_file():
            return False
        try:
            meta = pq.read_schema(target).metadata or {}
        except (OSError, pa.ArrowException):  # not a readable Parquet file: written again
            return False
        noted = meta.get(b"equipoise.fetch")
        return noted is not None and _covers(noted.decode(), remote, keep)

    def take(self, path: Path, remote: RemoteFile, keep: EventFilter,
             report: ImportReport, progress: Callable[[int], None] | None) -> None:  # fmt: skip
        import pyarrow.parquet as pq

        self.folder.mkdir(parents=True, exist_ok=True)
        with Store(":memory:") as store:
            import_file(store, path, f"gdelt{remote.version}", report, progress=progress,
                        keep=keep)  # fmt: skip
            table = store.events_table()
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"equipoise.fetch": _note(remote, keep).encode()}
        )
        target = self.path(remote)
        part = target.with_name(target.name + ".part")
        pq.write_table(table, part)
        os.replace(part, target)


def _note_key(remote: RemoteFile) -> str:
    return f"fetch:gdelt{remote.version}:{remote.name}"


def _note(remote: RemoteFile, keep: EventFilter) -> str:
    return json.dumps({"md5": remote.md5, "countries": sorted(keep.countries),
                       "roots": sorted(keep.roots)})  # fmt: skip


def _covers(noted: str, remote: RemoteFile, keep: EventFilter) -> bool:
    """Whether the import ``noted`` records holds all that ``keep`` asks of ``remote``:
    the same bytes, and a filter that kept at least as much."""
    try:
        record = json.loads(noted)
        countries, roots = frozenset(record["countries"]), frozenset(record["roots"])
        same_file = record["md5"] == remote.md5
    except (ValueError, KeyError, TypeError):
        return False

    def wider(before: frozenset[str], now: frozenset[str]) -> bool:
        # No codes kept every code; codes kept only those, so "now" must name fewer.
        return not before or (bool(now) and now <= before)

    return same_file and wider(countries, keep.countries) and wider(roots, keep.roots)


@dataclass
class FetchSummary:
    """What a fetch did, file by file, and the import report of the files imported."""

    fetched: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    already: list[str] = field(default_factory=list)  # imported before: passed over
    imported: list[str] = field(default_factory=list)
    received: int = 0  # bytes downloaded
    report: ImportReport = field(default_factory=ImportReport)


@dataclass(frozen=True, slots=True)
class Step:
    """A progress note: ``stage`` (download, import, done) of ``file``; ``amount`` is
    the bytes received or the rows read so far."""

    file: RemoteFile
    stage: str
    amount: int = 0


def fetch_and_import(
    fetcher: Fetcher,
    files: Iterable[RemoteFile],
    sink: Sink,
    keep: EventFilter | None = None,
    progress: Callable[[Step], None] | None = None,
) -> FetchSummary:
    """Download each of ``files`` (or take it from the cache) and import it into
    ``sink`` unless it went there before; returns what happened to each.

    A file that fails its download, or cannot be read, is reported in ``failed`` and
    the others go on; nothing of a file that did not check out is ever imported.
    """
    keep = keep if keep is not None else EventFilter()
    summary = FetchSummary()

    def note(remote: RemoteFile, stage: str) -> Callable[[int], None] | None:
        if progress is None:
            return None
        return lambda amount: progress(Step(remote, stage, amount))

    for remote in files:
        downloaded = fetcher.fetch(remote, note(remote, "download"))
        summary.received += downloaded.received
        if downloaded.status == "failed" or downloaded.path is None:
            summary.failed.append((remote.name, downloaded.reason or "failed"))
        else:
            (summary.fetched if downloaded.status == "fetched" else summary.cached).append(
                remote.name)
            if sink.done(remote, keep):
                summary.already.append(remote.name)
            else:
                part = ImportReport()
                try:
                    sink.take(downloaded.path, remote, keep, part, note(remote, "import"))
                except SourceError as exc:
                    summary.failed.append((remote.name, f"cannot be imported: {exc}"))
                    summary.report.errors.extend(part.errors)
                else:
                    summary.imported.append(remote.name)
                    summary.report.merge(part)
        if progress is not None:
            progress(Step(remote, "done"))
    return summary
