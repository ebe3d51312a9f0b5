"""``equipoise fetch gdelt`` against a GDELT server started here on 127.0.0.1.

The server serves generated file lists and zipped export files, and misbehaves on
purpose file by file: 404, a 500 that clears on the next try, a truncated file, a wrong
checksum, an answer slower than the client's timeout, a connection dropped halfway.
The store must then hold exactly what importing the good files directly gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import threading
import time
import zipfile
from collections import Counter
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from equipoise.outputs.cli import app
from equipoise.sources.datasets import ImportReport
from equipoise.sources.filters import EventFilter
from equipoise.sources.gdeltfetch import (
    Fetcher,
    FetchError,
    ParquetSink,
    RemoteFile,
    Retry,
    StoreSink,
    default_cache_dir,
    fetch_and_import,
    in_window,
    uncovered,
    user_agent,
    v1_files,
    v2_files,
)
from equipoise.sources.importing import import_file
from equipoise.store import Store
from equipoise.store.db import _EVENT_COLUMNS, GDELT_COLUMNS
from factories import gdelt_rows

PREFIX = "mirror"  # the server's files sit below a folder: --base-url keeps it
DAYS = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(8)]
COLUMNS = list(_EVENT_COLUMNS + GDELT_COLUMNS)


# -- the server ---------------------------------------------------------------------------


class Site:
    """What the server holds: files by path, what to do on the next requests of a path
    (``faults``), and the requests it saw."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.serve: dict[str, bytes] = {}  # bytes served instead of the listed file's
        self.faults: dict[str, list[str]] = {}
        self.requests: Counter[str] = Counter()
        self.ranges: list[tuple[str, int]] = []
        self.agents: set[str] = set()
        self.slow = 2.5  # seconds: well over the tests' timeout
        self.base = ""  # the server's URL, with the folder its files are in
        self.lock = threading.Lock()

    def next_fault(self, path: str) -> str:
        with self.lock:
            self.requests[path] += 1
            queue = self.faults.get(path) or []
            return queue.pop(0) if queue else ""


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        site = self.site
        path = urlsplit(self.path).path.lstrip("/")
        site.agents.add(self.headers.get("User-Agent", ""))
        fault = site.next_fault(path)
        if fault == "slow":
            time.sleep(site.slow)
        if fault == "500":
            self.send_error(500)
            return
        if path not in site.files:
            self.send_error(404)
            return
        body = site.serve.get(path, site.files[path])
        start, status = 0, 200
        asked = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if asked:
            start, status = int(asked[1]), 206
            site.ranges.append((path, start))
        payload = body[start:]
        with suppress(OSError):  # a client that timed out has gone
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            self.end_headers()
            if fault == "drop":  # half the body, then the connection goes
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(payload)


@pytest.fixture
def site():
    state = Site()
    handler = type("SiteHandler", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# -- GDELT files --------------------------------------------------------------------------


def zipped(name: str, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, "\n".join(lines) + "\n")
    return buffer.getvalue()


def v1_name(day: dt.date) -> str:
    return f"{day:%Y%m%d}.export.CSV.zip"


def publish_v1(site: Site, days: list[dt.date], wrong_md5: tuple[str, ...] = ()) -> None:
    """Daily files of 40 rows for ``days`` and GDELT 1.0's two lists naming them, plus a
    monthly and a yearly archive and an unrelated file outside every window here."""
    for n, day in enumerate(days):
        name = v1_name(day)
        site.files[f"{PREFIX}/events/{name}"] = zipped(
            name.removesuffix(".zip"), gdelt_rows(100_000 + 1000 * n, 40, day))
    site.files[f"{PREFIX}/events/201212.zip"] = zipped("201212.csv", [])
    site.files[f"{PREFIX}/events/1999.zip"] = zipped("1999.csv", [])
    write_v1_lists(site, wrong_md5)


def write_v1_lists(site: Site, wrong_md5: tuple[str, ...] = ()) -> None:
    sums, sizes = ["0123456789abcdef0123456789abcdef  GDELT.MASTERREDUCEDV2.1979-2013.zip"], []
    for path, data in sorted(site.files.items()):
        if not path.startswith(f"{PREFIX}/events/") or path.endswith(("md5sums", "filesizes")):
            continue
        name = path.rsplit("/", 1)[1]
        digest = hashlib.md5(data).hexdigest()
        if name in wrong_md5:
            digest = hashlib.md5(data + b"!").hexdigest()
        sums.append(f"{digest}  {name}")
        sizes.append(f"{len(data)} {name}")
    site.files[f"{PREFIX}/events/md5sums"] = ("\n".join(sums) + "\n").encode()
    site.files[f"{PREFIX}/events/filesizes"] = ("\n".join(sizes) + "\n").encode()


def fetcher(site: Site, cache: Path, attempts: int = 3, sleeps: list | None = None) -> Fetcher:
    retry = Retry(attempts=attempts, first_delay=0.01, max_delay=0.02,
                  sleep=sleeps.append if sleeps is not None else lambda _: None)  # fmt: skip
    return Fetcher(cache, site.base, timeout=1.0, retry=retry)


def direct(tmp_path: Path, site: Site, names: list[str], keep: EventFilter | None = None,
           folder: str = "events") -> tuple:  # fmt: skip
    """The events (and report) of importing the server's files ``names`` directly."""
    where = tmp_path / f"direct-{len(list(tmp_path.iterdir()))}"
    where.mkdir()
    report = ImportReport()
    with Store(where / "direct.duckdb") as store:
        for name in names:
            path = where / name
            path.write_bytes(site.files[f"{PREFIX}/{folder}/{name}"])
            version = 1 if folder == "events" else 2
            import_file(store, path, f"gdelt{version}", report, keep=keep)
        return rows_of(store), report


def rows_of(store: Store):
    frame = store.events_table().to_pandas()[COLUMNS]
    return frame.sort_values("doc_id").reset_index(drop=True).astype(str)


def requests_for(site: Site, names: list[str]) -> dict[str, int]:
    return {name: site.requests[f"{PREFIX}/events/{name}"] for name in names}


# -- the lists ----------------------------------------------------------------------------


def test_gdelt_1_lists_give_daily_monthly_and_yearly_files_by_the_days_they_cover():
    sums = ["d41d8cd98f00b204e9800998ecf8427e  20130401.export.CSV.zip",
            "D41D8CD98F00B204E9800998ECF8427E  201303.zip",
            "0cc175b9c0f1b6a831c399e269772661  2005.zip",
            "0cc175b9c0f1b6a831c399e269772661  20130231.export.CSV.zip",  # no such day
            "0cc175b9c0f1b6a831c399e269772661  GDELT.MASTERREDUCEDV2.1979-2013.zip",
            "not a line", ""]  # fmt: skip
    files = v1_files(sums, ["123 20130401.export.CSV.zip", "x 2005.zip"])
    assert [(f.name, f.first, f.last, f.size) for f in files] == [
        ("2005.zip", dt.date(2005, 1, 1), dt.date(2005, 12, 31), None),
        ("201303.zip", dt.date(2013, 3, 1), dt.date(2013, 3, 31), None),
        ("20130401.export.CSV.zip", dt.date(2013, 4, 1), dt.date(2013, 4, 1), 123),
    ]
    assert files[1].md5 == "d41d8cd98f00b204e9800998ecf8427e"
    assert files[1].path == "events/201303.zip"
    assert [f.name for f in in_window(files, dt.date(2013, 3, 31), dt.date(2013, 4, 1))] == [
        "201303.zip", "20130401.export.CSV.zip"]
    assert in_window(files, dt.date(2006, 1, 1), dt.date(2012, 12, 31)) == []
    assert uncovered(files, dt.date(2013, 3, 30), dt.date(2013, 4, 3)) == [
        dt.date(2013, 4, 2), dt.date(2013, 4, 3)]
    assert uncovered(files, dt.date(2004, 12, 31), dt.date(2005, 1, 1)) == [dt.date(2004, 12, 31)]


def test_gdelt_2_master_list_gives_the_export_files_of_the_window():
    digest = "297a16b493de7cf6ca809a7cc31d0b93"
    lines = [f"150383 {digest} http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip",
             f"318084 {digest} http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip",
             f"10768507 {digest} http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip",
             f"{digest} http://data.gdeltproject.org/gdeltv2/20150219000000.export.CSV.zip",
             f"149211 {digest} http://data.gdeltproject.org/gdeltv2/20150219001500.export.CSV.zip",
             f"149211 {digest} http://data.gdeltproject.org/gdeltv2/20150220001500.export.CSV.zip",
             ]  # fmt: skip
    files = list(v2_files(lines, dt.date(2015, 2, 18), dt.date(2015, 2, 19)))
    assert [(f.path, f.size, f.first) for f in files] == [
        ("gdeltv2/20150218230000.export.CSV.zip", 150383, dt.date(2015, 2, 18)),
        ("gdeltv2/20150219001500.export.CSV.zip", 149211, dt.date(2015, 2, 19)),
    ]


def test_retries_wait_twice_as_long_each_time_up_to_a_bound():
    retry = Retry(first_delay=1.5, max_delay=10)
    assert [retry.delay(n) for n in range(1, 6)] == [1.5, 3.0, 6.0, 10, 10]


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EQUIPOISE_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c" / "gdelt"
    monkeypatch.delenv("EQUIPOISE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if default_cache_dir().parts[-3:] == ("xdg", "equipoise", "gdelt"):  # Linux and others
        assert default_cache_dir() == tmp_path / "xdg" / "equipoise" / "gdelt"
    assert default_cache_dir().name == "gdelt"


def test_a_base_url_must_be_http():
    with pytest.raises(FetchError, match="ftp://"):
        Fetcher(base_url="ftp://example.org")


# -- fetching -----------------------------------------------------------------------------


def test_good_files_are_imported_and_bad_ones_reported_then_a_second_run_fetches_nothing(
    tmp_path, site
):
    names = [v1_name(day) for day in DAYS]
    good = [names[0], names[2], names[6], names[7]]
    publish_v1(site, DAYS, wrong_md5=(names[4],))
    paths = {name: f"{PREFIX}/events/{name}" for name in names}
    del site.files[paths[names[1]]]  # the lists name it, but the server has lost it: 404
    site.faults[paths[names[2]]] = ["500"]  # clears on the next try
    site.serve[paths[names[3]]] = site.files[paths[names[3]]][:-50]  # truncated
    site.faults[paths[names[5]]] = ["slow"] * 3  # slower than the timeout, every time
    site.faults[paths[names[6]]] = ["drop"]  # half, then the connection drops
    cache, sleeps = tmp_path / "cache", []
    with fetcher(site, cache, sleeps=sleeps) as get, Store(tmp_path / "s.duckdb") as store:
        files = get.files(1, DAYS[0], DAYS[-1])
        assert [f.name for f in files] == names
        summary = fetch_and_import(get, files, StoreSink(store))
        fetched = rows_of(store)
    expected, report = direct(tmp_path, site, good)
    assert fetched.to_dict("records") == expected.to_dict("records")
    assert summary.fetched == summary.imported == good and summary.cached == []
    assert (summary.report.added, summary.report.rows) == (report.added, report.rows) \
        and report.added > 0
    reasons = dict(summary.failed)
    assert list(reasons) == [names[1], names[3], names[4], names[5]]
    assert reasons[names[1]] == "not on the server (HTTP 404)"
    assert "where the list says" in reasons[names[3]] and "MD5" in reasons[names[4]]
    assert reasons[names[5]].startswith("timed out (tried 3 times)")
    assert requests_for(site, names) == dict(zip(names, [1, 1, 2, 3, 3, 3, 2, 1], strict=True))
    assert site.ranges == [(paths[names[6]], len(site.files[paths[names[6]]]) // 2)]
    assert sleeps and set(sleeps) <= {0.01, 0.02}
    # Only whole, checked files are in the cache; nothing of the bad ones.
    assert sorted(p.name for p in (cache / "events").iterdir()) == sorted(good)
    assert site.agents == {user_agent()} and user_agent().startswith("equipoise/")

    # Again, with the server mended: only the four that failed are requested.
    site.serve.clear()
    site.faults.clear()
    site.files[paths[names[1]]] = zipped("x.CSV", gdelt_rows(900_000, 10, DAYS[1]))
    write_v1_lists(site)
    before = requests_for(site, names)
    with fetcher(site, cache) as get, Store(tmp_path / "s.duckdb") as store:
        summary = fetch_and_import(get, get.files(1, DAYS[0], DAYS[-1]), StoreSink(store))
        again = rows_of(store)
    after = requests_for(site, names)
    assert {n: after[n] - before[n] for n in names} == {n: int(n not in good) for n in names}
    assert summary.cached == summary.already == good and summary.failed == []
    assert sorted(summary.fetched) == sorted(set(names) - set(good))
    everything, _ = direct(tmp_path, site, names)
    assert again.to_dict("records") == everything.to_dict("records")
    assert summary.report.replaced == 0  # nothing of the first run was imported twice

    # A third run does nothing at all but read the lists.
    before = requests_for(site, names)
    with fetcher(site, cache) as get, Store(tmp_path / "s.duckdb") as store:
        summary = fetch_and_import(get, get.files(1, DAYS[0], DAYS[-1]), StoreSink(store))
        assert rows_of(store).to_dict("records") == everything.to_dict("records")
    assert requests_for(site, names) == before
    assert summary.already == names and summary.report.rows == 0


def test_an_interrupted_download_is_resumed_and_never_imported_half(tmp_path, site):
    publish_v1(site, DAYS[:3])
    names = [v1_name(day) for day in DAYS[:3]]
    data = [site.files[f"{PREFIX}/events/{name}"] for name in names]
    folder = tmp_path / "cache" / "events"
    folder.mkdir(parents=True)
    # Left behind by an earlier run: the first half of file 0, garbage as long as half
    # of file 1, and file 2 whole but never checked and renamed.
    (folder / f"{names[0]}.part").write_bytes(data[0][: len(data[0]) // 2])
    (folder / f"{names[1]}.part").write_bytes(b"\0" * (len(data[1]) // 2))
    (folder / f"{names[2]}.part").write_bytes(data[2])
    with fetcher(site, tmp_path / "cache") as get, Store(tmp_path / "s.duckdb") as store:
        summary = fetch_and_import(get, get.files(1, DAYS[0], DAYS[2]), StoreSink(store))
        fetched = rows_of(store)
    assert summary.failed == [] and summary.imported == names
    resumed = [(p.rsplit("/", 1)[1], start) for p, start in site.ranges]
    assert resumed == [(names[0], len(data[0]) // 2), (names[1], len(data[1]) // 2)]
    # The garbage failed its MD5 after the resume and was fetched whole on the next try.
    assert requests_for(site, names) == {names[0]: 1, names[1]: 2, names[2]: 0}
    assert sorted(p.name for p in folder.iterdir()) == names
    expected, _ = direct(tmp_path, site, names)
    assert fetched.to_dict("records") == expected.to_dict("records")


def test_a_partial_file_that_cannot_be_finished_is_never_imported(tmp_path, site):
    publish_v1(site, DAYS[:1])
    name = v1_name(DAYS[0])
    folder = tmp_path / "cache" / "events"
    folder.mkdir(parents=True)
    # A whole, readable archive, but not the listed one, left as the partial download.
    (folder / f"{name}.part").write_bytes(zipped("p.CSV", gdelt_rows(1, 5, DAYS[0])))
    site.faults[f"{PREFIX}/events/{name}"] = ["500"] * 5
    with fetcher(site, tmp_path / "cache", attempts=2) as get, \
            Store(tmp_path / "s.duckdb") as store:  # fmt: skip
        summary = fetch_and_import(get, get.files(1, DAYS[0], DAYS[0]), StoreSink(store))
        assert store.stats()["events"] == 0
    assert summary.failed == [(name, "HTTP 500 from the server (tried 2 times)")]
    assert not (folder / name).exists()


def test_a_damaged_file_in_the_cache_is_fetched_again(tmp_path, site):
    publish_v1(site, DAYS[:1])
    name = v1_name(DAYS[0])
    folder = tmp_path / "cache" / "events"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(b"PK not really")
    with fetcher(site, tmp_path / "cache") as get, Store(tmp_path / "s.duckdb") as store:
        summary = fetch_and_import(get, get.files(1, DAYS[0], DAYS[0]), StoreSink(store))
    assert summary.fetched == [name] and (folder / name).read_bytes() == site.files[
        f"{PREFIX}/events/{name}"]


def test_a_list_the_server_cannot_give_is_an_error(tmp_path, site):
    with fetcher(site, tmp_path) as get, pytest.raises(FetchError, match="md5sums.*404"):
        get.files(1, DAYS[0], DAYS[1])
    site.files[f"{PREFIX}/gdeltv2/masterfilelist.txt"] = b""
    site.faults[f"{PREFIX}/gdeltv2/masterfilelist.txt"] = ["500"] * 3
    with fetcher(site, tmp_path) as get, pytest.raises(FetchError, match="500.*3 times"):
        get.files(2, DAYS[0], DAYS[1])


def publish_v2(site: Site, stamps: list[str], first_id: int = 500_000) -> list[str]:
    """Export files of 25 rows for ``stamps`` and master list lines naming them (with
    mentions files the server does not have); returns the lines."""
    lines = []
    for n, stamp in enumerate(stamps):
        name = f"{stamp}.export.CSV.zip"
        day = dt.datetime.strptime(stamp[:8], "%Y%m%d").date()
        data = zipped(name.removesuffix(".zip"), gdelt_rows(first_id + 100 * n, 25, day, 2))
        site.files[f"{PREFIX}/gdeltv2/{name}"] = data
        lines.append(f"{len(data)} {hashlib.md5(data).hexdigest()} "
                     f"http://data.gdeltproject.org/gdeltv2/{name}")  # fmt: skip
        lines.append(f"999 {hashlib.md5(b'').hexdigest()} "
                     f"http://data.gdeltproject.org/gdeltv2/{stamp}.mentions.CSV.zip")  # fmt: skip
    return lines


def test_gdelt_2_files_of_the_window_are_fetched_and_imported(tmp_path, site):
    stamps = ["20200101000000", "20200101001500", "20200102234500", "20200103000000"]
    # Long enough that the copy in the cache is completed, not read again.
    lines = publish_v2(site, stamps) + ["1 0cc175b9c0f1b6a831c399e269772661 "
                                        f"http://data.gdeltproject.org/gdeltv2/{n}.gkg.csv.zip"
                                        for n in range(100)]  # fmt: skip
    listed = f"{PREFIX}/gdeltv2/masterfilelist.txt"
    site.files[listed] = ("\n".join(lines) + "\n").encode()
    window = dt.date(2020, 1, 1), dt.date(2020, 1, 2)
    with fetcher(site, tmp_path / "cache") as get, Store(tmp_path / "s.duckdb") as store:
        summary = fetch_and_import(get, get.files(2, *window), StoreSink(store))
        fetched = rows_of(store)
    wanted = [f"{s}.export.CSV.zip" for s in stamps[:3]]
    assert summary.imported == wanted and summary.failed == []
    assert not any("mentions" in path for path in site.requests)
    expected, _ = direct(tmp_path, site, wanted, folder="gdeltv2")
    assert fetched.to_dict("records") == expected.to_dict("records")
    assert set(fetched["dataset"]) == {"gdelt2"}
    assert site.ranges == []

    # GDELT adds files at the end of its list: the next run reads only what was added.
    site.files[listed] += ("\n".join(publish_v2(site, ["20200102235900"], 600_000)) + "\n"
                           ).encode()  # fmt: skip
    with fetcher(site, tmp_path / "cache") as get, Store(tmp_path / "s.duckdb") as store:
        summary = fetch_and_import(get, get.files(2, *window), StoreSink(store))
    assert summary.imported == ["20200102235900.export.CSV.zip"] and summary.already == wanted
    size = len(site.files[listed])
    assert [(path, start) for path, start in site.ranges if path == listed] == [
        (listed, len(("\n".join(lines) + "\n").encode()) - 4096)]
    assert (tmp_path / "cache" / "gdeltv2" / "masterfilelist.txt").read_bytes() == \
        site.files[listed] and size > 4096  # fmt: skip

    # A list written anew (the end of the copy no longer matches) is read whole.
    site.files[listed] = ("\n".join(publish_v2(site, ["20200101003000"], 700_000) + lines)
                          + "\n").encode()  # fmt: skip
    with fetcher(site, tmp_path / "cache") as get:
        names = [f.name for f in get.files(2, *window)]
    assert "20200101003000.export.CSV.zip" in names and "20200102235900.export.CSV.zip" \
        not in names  # fmt: skip
    assert (tmp_path / "cache" / "gdeltv2" / "masterfilelist.txt").read_bytes() == \
        site.files[listed]  # fmt: skip


# -- the command line ---------------------------------------------------------------------


def test_the_command_filters_while_importing_and_reports_what_it_did(tmp_path, site):
    publish_v1(site, DAYS[:4])
    names = [v1_name(day) for day in DAYS[:4]]
    del site.files[f"{PREFIX}/events/{names[3]}"]  # a 404: no retry, so no waiting
    runner = CliRunner()

    def fetch(*filters: str):
        return runner.invoke(app, [
            "fetch", "gdelt", "--from", "2020-01-01", "--to", "2020-01-04", *filters,
            "--base-url", site.base, "--cache", str(tmp_path / "cache"),
            "--db", str(tmp_path / "s.duckdb"), "--timeout", "2",
        ])  # fmt: skip

    narrow = ("--countries", "rus,IRN", "--roots", "19,11")
    result = fetch(*narrow)
    assert result.exit_code == 1, result.output
    assert "3 file(s) fetched" in result.output and "1 failed" in result.output
    assert "no GDELT 1.0 file covers" not in result.output
    assert f"failed: {names[3]}: not on the server (HTTP 404)" in result.output
    keep = EventFilter.build(["RUS", "IRN"], ["19", "11"])
    expected, report = direct(tmp_path, site, names[:3], keep=keep)
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        fetched = rows_of(store)
    assert fetched.to_dict("records") == expected.to_dict("records")
    assert set(fetched["target"]) == {"RUS", "IRN"} and set(fetched["root"]) == {"19", "11"}
    assert f"{report.added:,} events imported" in result.output
    assert f"{report.filtered:,} outside the filter" in result.output and report.filtered > 0

    # The same filter again, or a narrower one, imports nothing; no filter imports the rest.
    assert "0 imported, 3 imported before" in fetch(*narrow).output
    assert "0 imported, 3 imported before" in fetch("--countries", "RUS", "--roots", "19").output
    wider = fetch()
    assert "0 file(s) fetched" in wider.output and "3 from the cache" in wider.output
    assert "3 imported, 0 imported before" in wider.output
    assert "0 imported, 3 imported before" in fetch(*narrow).output
    everything, _ = direct(tmp_path, site, names[:3])
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        assert rows_of(store).to_dict("records") == everything.to_dict("records")


def test_the_command_writes_parquet_instead_of_a_store(tmp_path, site):
    publish_v1(site, DAYS[:2])
    names = [v1_name(day) for day in DAYS[:2]]
    args = ["fetch", "gdelt", "--from", "2020-01-01", "--to", "2020-01-02",
            "--base-url", site.base, "--cache", str(tmp_path / "cache"),
            "--parquet", str(tmp_path / "pq")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "pq").iterdir())
    assert [p.name for p in written] == [n.removesuffix(".zip") + ".parquet" for n in names]
    table = pq.read_table(written).to_pandas()[COLUMNS]
    expected, _ = direct(tmp_path, site, names)
    assert table.sort_values("doc_id").reset_index(drop=True).astype(str).to_dict(
        "records") == expected.to_dict("records")
    stamp = [p.stat().st_mtime_ns for p in written]
    again = CliRunner().invoke(app, args)
    assert "0 imported, 2 imported before" in again.output
    assert [p.stat().st_mtime_ns for p in written] == stamp
    # A damaged Parquet file is written again.
    written[0].write_bytes(b"PAR1 cut short")
    other = RemoteFile(f"events/{names[0]}", None, "0" * 32, DAYS[0], DAYS[0], 1)
    assert ParquetSink(tmp_path / "pq").done(other, EventFilter()) is False
    assert "1 imported, 1 imported before" in CliRunner().invoke(app, args).output
    assert pq.read_table(written[0]).num_rows > 0


def test_the_command_refuses_a_store_and_parquet_together_and_unknown_codes(tmp_path, site):
    base = ["fetch", "gdelt", "--from", "2020-01-02", "--to", "2020-01-01"]
    result = CliRunner().invoke(app, base)
    assert result.exit_code == 2 and "before --from" in result.output
    result = CliRunner().invoke(app, base[:-1] + ["2020-01-03", "--db", "x", "--parquet", "y"])
    assert result.exit_code == 2 and "not both" in result.output
    result = CliRunner().invoke(app, base[:-1] + ["2020-01-03", "--roots", "25"])
    assert result.exit_code == 2 and "unknown CAMEO root code '25'" in result.output
    publish_v1(site, DAYS[:1])
    result = CliRunner().invoke(app, ["fetch", "gdelt", "--from", "2021-01-01", "--to",
                                      "2021-01-02", "--base-url", site.base,
                                      "--cache", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2 and "no GDELT 1.0 event file covers" in result.output
    # --debug shows the error itself, as for the other commands.
    gone = ["fetch", "gdelt", "--from", "2020-01-01", "--base-url", site.base + "/none",
            "--attempts", "1", "--cache", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(app, gone)
    assert result.exit_code == 2 and "md5sums: not on the server (HTTP 404)" in result.output
    result = CliRunner().invoke(app, ["--debug", *gone])
    assert isinstance(result.exception, FetchError)
    result = CliRunner().invoke(app, ["fetch", "gdelt", "--from", "2019-12-30", "--to",
                                      "2020-01-01", "--base-url", site.base,
                                      "--cache", str(tmp_path), "--db", str(tmp_path / "s")])
    assert "no GDELT 1.0 file covers 2 day(s) of the window: 2019-12-30, 2019-12-31" \
        in result.output and result.exit_code == 0  # fmt: skip
