"""Feed every reader mutated inputs; count crashes, clean errors and good rows lost.

Each input starts as a valid file the script writes itself (random rows of the format),
whose records the reader gives once unmutated: that is the baseline. Some rows (or
bytes of a single-document file) are then mutated: bytes flipped, inserted or deleted,
fields replaced by awkward values (NUL, quotes, unpaired surrogates, 1,000 brackets,
4,400 digits, years 1 and 9999, inf), rows cut, joined, repeated; sometimes the whole
file is cut short or given CRLF line ends or a byte-order mark; archives are also
damaged after packing. Then, per format:

* **crashes**: inputs where the reader raised anything but the project's SourceError,
  or gave a record the store cannot hold or must not (a lone surrogate, a control
  character, a date outside the accepted range, a Goldstein weight outside -10..10);
* **clean errors**: per-line and per-file SourceErrors reported;
* **good rows lost**: rows left unmutated that did not come out exactly as in the
  baseline (a damaged archive, or a mutated header, may lose the whole file cleanly:
  those are not counted);
* the time taken, and the slowest single input (nothing may hang).

Usage: python benchmarks/fuzz.py [--format NAME ...] [--n 10000] [--seed 0]

Formats are a registry, ``FUZZERS``: name -> :class:`Fuzzer` (``make`` builds one input
from a random generator; ``run`` reads it). ``tests/test_fuzz_readers.py`` runs the
same fuzzers for a few dozen inputs each under Hypothesis.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import gzip
import io
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from equipoise.records import Document, Event  # noqa: E402
from equipoise.sources import SourceError, iter_documents, read_jsonl  # noqa: E402
from equipoise.sources.datasets import ICEWS_COLUMNS, ImportReport, read_dataset  # noqa: E402
from equipoise.sources.idealpoints import read_ideal_points  # noqa: E402
from equipoise.sources.limits import DateRange  # noqa: E402
from equipoise.sources.unvotes import read_unvotes_csv  # noqa: E402

# -- the harness -----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One input: files to write into an empty folder, and what must come out of them.

    ``expected`` maps each record key of an unmutated row to its baseline record;
    ``file_error_ok`` says a file-level error may cost them all (a damaged archive or
    header), so they are not counted as lost then.
    """

    files: dict[str, bytes]
    expected: dict[Hashable, object]
    file_error_ok: bool = False


@dataclass
class Result:
    """What reading one input gave: records by key, errors, and records that are bad."""

    records: dict[Hashable, object]
    errors: int
    file_error: bool = False
    bad: list[str] = field(default_factory=list)  # records the store cannot or must not hold


@dataclass(frozen=True)
class Fuzzer:
    """A format to fuzz: ``make`` builds one input, ``run`` reads it from a folder."""

    make: Callable[[random.Random], Case]
    run: Callable[[Case, Path], Result]


@dataclass
class Tally:
    inputs: int = 0
    crashes: int = 0
    clean_errors: int = 0
    good_lost: int = 0
    seconds: float = 0.0
    slowest: float = 0.0  # seconds, the slowest single input
    examples: list[str] = field(default_factory=list)

    def add(self, case: Case, outcome: Result | BaseException) -> None:
        self.inputs += 1
        if isinstance(outcome, BaseException):
            self.crashes += 1
            self._example("".join(traceback.format_exception(outcome)[-3:]), case)
            return
        self.clean_errors += outcome.errors
        if outcome.bad:
            self.crashes += 1
            self._example("bad record: " + outcome.bad[0], case)
        if outcome.file_error and case.file_error_ok:
            return
        lost = [k for k, v in case.expected.items() if outcome.records.get(k, _MISSING) != v]
        self.good_lost += len(lost)
        if lost:
            self._example(f"lost {lost[:3]}", case)

    def _example(self, what: str, case: Case) -> None:
        if len(self.examples) < 3:
            files = {name: data[:300] for name, data in case.files.items()}
            self.examples.append(f"{what}\n    input: {files}")


_MISSING = object()


def check(fuzzer: Fuzzer, case: Case, folder: Path) -> Result | BaseException:
    """Write ``case`` into ``folder`` (emptied first) and read it; an exception is returned."""
    for old in folder.iterdir():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    try:
        return fuzzer.run(case, folder)
    except Exception as exc:  # a crash is what is being counted
        return exc


def fuzz(name: str, n: int, seed: int, folder: Path) -> Tally:
    fuzzer = FUZZERS[name]
    rng = random.Random(f"{seed}:{name}")
    tally = Tally()
    started = time.perf_counter()
    for _ in range(n):
        case = fuzzer.make(rng)
        begun = time.perf_counter()
        outcome = check(fuzzer, case, folder)
        tally.slowest = max(tally.slowest, time.perf_counter() - begun)
        tally.add(case, outcome)
    tally.seconds = time.perf_counter() - started
    return tally


# -- mutations ---------------------------------------------------------------------------

AWKWARD = [
    b"\0", b'"', b'""', b'"\n', b"\t", b",", b"\n", b"\r", b"\r\n", b"\\", b"\\\\",
    b"{", b"}", b"[", b"]", b"<", b">", b"&#0;", b"<!--", b"<script>", b"</p>",
    b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", "\u202e".encode(), "\u2066".encode(),
    b"\x1b[31m", b"\x07", b"\x7f", b"\x85", "\u0085".encode(), b"\x0c",
    "é".encode(), "ж".encode(), "\U0001f600".encode(), "\u200f".encode(),
    b"\\ud800", b"\\udc00", b"\\u0000", b"\\ud83d\\ude00",
    b"9" * 4400, b"[" * 1000, b"{" * 70, b"-", b"0", b"1e300", b"-1e300", b"inf", b"-inf",
    b"nan", b"NaN", b"55", b"-10.5", b"1_0", b"NA", b"null", b"true", b"[]", b"{}", b" ",
    b"0001", b"9999", b"00010101", b"99991231", b"0001-01-01", b"9999-12-31", b"1/1/0001",
    b"2020-02-30", b"Date:", b"Title:", b"\nDate: 0001-01-01\n", b"x" * 3000,
    b'": 1e999, "', b'": [], "', b'": {"a": [1]}, "', b'": null, "', b'": true, "',
    b'": -0.0, "', b'": "\\ud800", "', b'"text": "', b'"id": ',
]  # fmt: skip


EXTREME_NUMBERS = [b"inf", b"-inf", b"nan", b"1e300", b"-1e300", b"55", b"-10.5", b"1e-320",
                   b"99999999999999999999", b"-0", b"0x10", b"1_000", b"\xd9\xa1\xd9\xa2"]
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
_YEAR = re.compile(rb"(?<!\d)(1[89]|20)\d\d(?!\d)")


def _mutate(data: bytes, rng: random.Random, separator: bytes) -> bytes:
    """One random change to ``data``; ``separator`` splits it into fields."""
    op = rng.choices(range(10), weights=(1, 1, 1, 1, 1, 1, 2, 0.5, 0.5, 2))[0]
    at = rng.randrange(len(data) + 1)
    if op == 0 and data:  # flip a byte
        at = min(at, len(data) - 1)
        return data[:at] + bytes([data[at] ^ rng.randrange(1, 256)]) + data[at + 1 :]
    if op == 1:  # insert an awkward token
        return data[:at] + rng.choice(AWKWARD) + data[at:]
    if op == 2:  # insert random bytes
        return data[:at] + rng.randbytes(rng.randrange(1, 8)) + data[at:]
    if op == 3:  # delete a span
        return data[:at] + data[at + rng.randrange(1, 40) :]
    if op == 4:  # cut short
        return data[:at]
    if op == 5 and data:  # repeat a span
        end = min(len(data), at + rng.randrange(1, 30))
        return data[:end] + data[at:end] + data[end:]
    cells = data.split(separator)
    filled = [k for k, cell in enumerate(cells) if cell.strip()]
    # Mostly a field that holds something: most columns of a GDELT row are empty.
    i = rng.choice(filled) if filled and rng.random() < 0.8 else rng.randrange(len(cells))
    if op == 6:  # replace a field
        cells[i] = rng.choice(AWKWARD)
    elif op == 7:  # swap two fields
        j = rng.randrange(len(cells))
        cells[i], cells[j] = cells[j], cells[i]
    elif op == 8:  # drop or add a field
        if rng.random() < 0.5 and len(cells) > 1:
            del cells[i]
        else:
            cells.insert(i, rng.choice(AWKWARD))
    else:  # a value of the field's own kind, but absurd: a number, or a year
        numbers = [k for k in filled if _NUMBER.fullmatch(cells[k].strip(b'" '))]
        dated = [k for k in filled if _YEAR.search(cells[k])]
        if numbers and (not dated or rng.random() < 0.5):
            k = rng.choice(numbers)
            cells[k] = cells[k].replace(cells[k].strip(b'" '), rng.choice(EXTREME_NUMBERS))
        elif dated:
            k = rng.choice(dated)
            year = rng.choice((b"0001", b"1066", b"1799", b"2262", b"2263", b"2999", b"9999"))
            cells[k] = _YEAR.sub(year, cells[k], count=1)
        else:
            cells[i] = rng.choice(EXTREME_NUMBERS)
    return separator.join(cells)


@dataclass(frozen=True)
class Seed:
    """A valid file of a line format: header lines, records, and what each record gives."""

    header: list[bytes]
    records: list[bytes]
    keys: list[Hashable | None]  # the key of each record's output; None if it gives none
    baseline: dict[Hashable, object]


def mutated_lines(
    seed: Seed, rng: random.Random, separator: bytes, newline: bytes = b"\n"
) -> tuple[bytes, dict[Hashable, object], bool]:
    """A mutated file of ``seed``, the baseline records of its unmutated rows, and whether
    the header was mutated (then nothing is expected)."""
    records = list(seed.records)
    touched = [False] * len(records)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 5))):
        i = rng.randrange(len(records))
        roll = rng.random()
        if roll < 0.06 and i + 1 < len(records):  # join with the next row
            records[i] = records[i] + rng.choice((b"", b" ", b"\t", b",")) + records[i + 1]
            records[i + 1] = b""
            touched[i] = touched[i + 1] = True
        elif roll < 0.12:  # repeat a row further down: the first one must be the one kept
            j = rng.randrange(i, len(records))
            records.insert(j + 1, records[i])
            touched.insert(j + 1, True)
        else:
            for _ in range(rng.choice((1, 1, 2, 3))):
                records[i] = _mutate(records[i], rng, separator)
            touched[i] = True
    header = list(seed.header)
    header_hit = bool(header) and rng.random() < 0.08
    if header_hit:
        header[0] = _mutate(header[0], rng, separator)
    kept = [(r, t) for r, t in zip(records, touched, strict=True) if r]
    records, touched = [r for r, _ in kept], [t for _, t in kept]
    data = newline.join(header + records) + (newline if rng.random() < 0.9 else b"")
    roll = rng.random()
    if roll < 0.04:  # the whole file cut short: rows not whole before the cut are mutated
        cut = rng.randrange(len(data) + 1)
        end = sum(len(h) + len(newline) for h in header)
        header_hit = header_hit or end - len(newline) > cut
        for k, record in enumerate(records):
            end += len(record)
            touched[k] = touched[k] or end > cut
            end += len(newline)
        data = data[:cut]
    elif roll < 0.08:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    elif roll < 0.11:
        data = b"\xef\xbb\xbf" + data
    keys = [k for k, _ in _kept_keys(seed, records, touched)]
    expected = {} if header_hit else {k: seed.baseline[k] for k in keys if k in seed.baseline}
    return data, expected, header_hit


def _kept_keys(seed: Seed, records: list[bytes], touched: list[bool]):
    """Keys of the seed's records that are still there, whole and untouched."""
    index = {record: key for record, key in zip(seed.records, seed.keys, strict=True)}
    seen: set[Hashable] = set()
    for record, hit in zip(records, touched, strict=True):
        key = index.get(record)
        if not hit and key is not None and key not in seen:
            seen.add(key)
            yield key, record


# -- random content ----------------------------------------------------------------------

WORDS = (
    "talks", "minister", "border", "trade", "agreement", "visit", "said", "on", "the",
    "pipeline", "ceasefire", "troops", "summit", "sanctions", "gas", "exports", "Baku",
    "Ankara", "Moscow", "Tehran", "Yerevan", "Tbilisi", "Kyiv", "Beijing", "Paris",
    "Berlin", "president", "forces", "capital", "officials", "Çavuşoğlu", "Москва",
    "طهران", "東京", "naïve", "coöperation", "—", "«quoted»", "“smart”", "it's", "a,b",
)  # fmt: skip


def sentence(rng: random.Random, low: int = 4, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + rng.choice(".!?")


def day(rng: random.Random) -> dt.date:
    return dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(12_000))


def ident(rng: random.Random) -> str:
    return str(rng.randrange(100_000_000, 999_999_999))


STATES = ("AZE", "TUR", "RUS", "IRN", "ARM", "GEO", "USA", "CHN", "FRA", "DEU", "UKR", "KAZ")
NAMES = {
    "AZE": "Azerbaijan", "TUR": "Turkey", "RUS": "Russian Federation", "IRN": "Iran",
    "ARM": "Armenia", "GEO": "Georgia", "USA": "United States", "CHN": "China",
    "FRA": "France", "DEU": "Germany", "UKR": "Ukraine", "KAZ": "Kazakhstan",
}  # fmt: skip
ALPHA2 = {"AZE": "AZ", "TUR": "TR", "RUS": "RU", "IRN": "IR", "ARM": "AM", "GEO": "GE",
          "USA": "US", "CHN": "CN", "FRA": "FR", "DEU": "DE", "UKR": "UA", "KAZ": "KZ"}
CAMEO = ("010", "020", "036", "040", "042", "043", "046", "057", "0874", "1712", "0231",
         "080", "111", "112", "120", "130", "141", "145", "163", "173", "180", "190", "193")


def pair(rng: random.Random) -> tuple[str, str]:
    source, target = rng.sample(STATES, 2)
    return source, target


# -- dataset formats ---------------------------------------------------------------------

DATES = DateRange()


def _event_problem(event: Event) -> str | None:
    texts = [event.doc_id, event.sentence, event.source.text, event.target.text,
             event.source.code, event.target.code, event.cameo, event.plover or ""]  # fmt: skip
    for text in texts:
        # Every cell of a dataset row loses its bidirectional controls, notes included.
        if problem := _text_problem(text, one_line=True):
            return f"{event.doc_id}: {problem}"
    if not (math.isfinite(event.goldstein) and -10 <= event.goldstein <= 10):
        return f"{event.doc_id}: Goldstein {event.goldstein}"
    if event.date.value not in DATES:
        return f"{event.doc_id}: date {event.date.value}"
    return None


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _text_problem(text: str | None, one_line: bool) -> str | None:
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"cannot be stored: {text[:60]!r}"
    if _CONTROL.search(text):
        return f"control character in {text[:60]!r}"
    if one_line and _BIDI.search(text):
        return f"bidirectional control in {text[:60]!r}"
    return None


def _dataset_run(fmt: str, name: str) -> Callable[[Case, Path], Result]:
    def run(case: Case, folder: Path) -> Result:
        report = ImportReport()
        try:
            events = list(read_dataset(folder / name, fmt, report))
        except SourceError:
            return Result({}, len(report.errors) + 1, file_error=True)
        records = {e.doc_id: e for e in events}
        bad = [p for e in events if (p := _event_problem(e)) is not None]
        return Result(records, len(report.errors), bad=bad)

    return run


def _baseline(fmt: str, suffix: str, data: bytes) -> dict[Hashable, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"seed{suffix}"
        path.write_bytes(data)
        report = ImportReport()
        events = {e.doc_id: e for e in read_dataset(path, fmt, report)}
    if report.errors:
        raise AssertionError(f"a {fmt} seed is not valid: {report.errors[:2]}")
    return events


def _gdelt_row(rng: random.Random, version: int) -> tuple[str, list[str]]:
    from equipoise.sources.datasets import GDELT1_COLUMNS, GDELT2_COLUMNS

    columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    source, target = pair(rng)
    event_id = ident(rng)
    values = {
        "GLOBALEVENTID": event_id, "SQLDATE": day(rng).strftime("%Y%m%d"),
        "Actor1CountryCode": source, "Actor1Name": NAMES[source].upper(),
        "Actor1Type1Code": rng.choice(("GOV", "MIL", "", "COP", "MED")),
        "Actor2CountryCode": target, "Actor2Name": NAMES[target].upper(),
        "EventCode": rng.choice(CAMEO), "QuadClass": "1", "NumMentions": "3",
        "GoldsteinScale": rng.choice(("", f"{rng.uniform(-10, 10):.1f}")),
        "AvgTone": f"{rng.uniform(-10, 10):.4f}", "ActionGeo_Lat": "40.4",
        "SOURCEURL": f"https://example.org/{ident(rng)}/{rng.choice(WORDS)}",
    }  # fmt: skip
    domestic = rng.random() < 0.1  # read, but no event
    if domestic:
        values["Actor2CountryCode"] = source
    return "" if domestic else event_id, [values.get(name, "") for name in columns]


def _tab_seed(rng: random.Random, fmt: str, header: list[str] | None, row) -> Seed:
    rows = [row(rng) for _ in range(rng.randint(6, 20))]
    records = [("\t".join(cells)).encode() for _, cells in rows]
    keys = [f"{fmt}:{event_id}" if event_id else None for event_id, _ in rows]
    head = ["\t".join(header).encode()] if header else []
    baseline = _baseline(fmt, ".csv", b"\n".join(head + records) + b"\n")
    return Seed(head, records, keys, baseline)


def _icews_row(rng: random.Random) -> tuple[str, list[str]]:
    source, target = pair(rng)
    event_id = ident(rng)
    domestic = rng.random() < 0.1  # read, but no event
    if domestic:
        target = source
    values = {
        "Event ID": event_id, "Event Date": day(rng).isoformat(),
        "Source Name": NAMES[source], "Source Sectors": rng.choice(("", "Military,Government")),
        "Source Country": NAMES[source], "Event Text": sentence(rng, 2, 4),
        "CAMEO Code": rng.choice(CAMEO), "Intensity": f"{rng.uniform(-10, 10):.1f}",
        "Target Name": NAMES[target], "Target Sectors": "Executive,Government",
        "Target Country": NAMES[target], "Story ID": ident(rng), "Sentence Number": "2",
        "Publisher": "Example Wire", "City": "Baku", "Latitude": "40.4", "Longitude": "49.9",
    }  # fmt: skip
    return "" if domestic else event_id, [values.get(name, "") for name in ICEWS_COLUMNS]


POLECAT_HEADER = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Actor Name",
    "Actor Country", "Primary Actor Sector", "Actor Sectors", "Recipient Name",
    "Recipient Country", "Primary Recipient Sector", "Recipient Sectors", "Placename",
    "Headline", "Event Text",
)  # fmt: skip


@functools.cache
def _plover_types() -> tuple[str, ...]:
    from equipoise.reference.plover import plover_quads

    return tuple(plover_quads())


def _polecat_row(rng: random.Random) -> tuple[str, list[str]]:
    source, target = pair(rng)
    event_id = f"{ident(rng)}_{rng.randrange(9)}"
    domestic = rng.random() < 0.1
    if domestic:
        target = source
    values = {
        "Event ID": event_id, "Event Date": day(rng).isoformat(),
        "Event Type": rng.choice(_plover_types()), "Event Mode": rng.choice(("", "visit")),
        "Intensity": "-2", "Actor Name": NAMES[source], "Actor Country": source,
        "Primary Actor Sector": rng.choice(("GOV", "MIL", "")), "Actor Sectors": "",
        "Recipient Name": NAMES[target], "Recipient Country": rng.choice((target,
                                                                          NAMES[target])),
        "Primary Recipient Sector": "GOV", "Recipient Sectors": "Government",
        "Placename": "Baku", "Headline": sentence(rng, 3, 6), "Event Text": sentence(rng),
    }  # fmt: skip
    return "" if domestic else event_id, [values.get(name, "") for name in POLECAT_HEADER]


ACLED_HEADER = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
ACLED_TYPES = (
    ("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Protests", "Peaceful protest"), ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
)  # fmt: skip


def _acled_seed(rng: random.Random) -> Seed:
    records: list[bytes] = []
    keys: list[Hashable | None] = []
    for _ in range(rng.randint(6, 16)):
        source, target = pair(rng)
        event_id = f"{ALPHA2[source]}{rng.randrange(10_000_000, 99_999_999)}"
        kind, sub = rng.choice(ACLED_TYPES)
        notes = sentence(rng)
        if rng.random() < 0.3:  # notes with line breaks, commas and quotes
            notes += '\nA witness said "it was loud", then ' + sentence(rng)
        values = {
            "event_id_cnty": event_id,
            "event_date": rng.choice((day(rng).isoformat(), day(rng).strftime("%d %B %Y"))),
            "year": "2020", "event_type": kind, "sub_event_type": sub,
            "actor1": f"Military Forces of {NAMES[source]} (2000-)", "inter1": "1",
            "actor2": f"Military Forces of {NAMES[target]} (2000-)", "inter2": "8",
            "country": NAMES[source], "latitude": "40.4", "longitude": "49.9",
            "notes": notes, "fatalities": str(rng.randrange(5)),
        }  # fmt: skip
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([values.get(n, "") for n in ACLED_HEADER])
        records.append(out.getvalue().encode())
        keys.append(f"acled:{event_id}")
    head = [",".join(ACLED_HEADER).encode()]
    baseline = _baseline("acled", ".csv", b"\n".join(head + records) + b"\n")
    return Seed(head, records, keys, baseline)


def _line_fuzzer(fmt: str, build: Callable[[random.Random], Seed], separator: bytes) -> Fuzzer:
    name = f"input.{fmt}.csv"
    seeds = _Pool(build)

    def make(rng: random.Random) -> Case:
        data, expected, header_hit = mutated_lines(seeds.pick(rng), rng, separator)
        return Case({name: data}, expected, file_error_ok=header_hit)

    return Fuzzer(make, _dataset_run(fmt, name))


class _Pool:
    """A few dozen seeds built on first use, so each input costs one read, not two."""

    def __init__(self, build: Callable[[random.Random], Seed], size: int = 40) -> None:
        self._build = build
        self._size = size
        self._seeds: list[Seed] = []

    def pick(self, rng: random.Random) -> Seed:
        if not self._seeds:
            local = random.Random(len(self._seeds))
            self._seeds = [self._build(local) for _ in range(self._size)]
        return rng.choice(self._seeds)


def _archive_fuzzer(kind: str) -> Fuzzer:
    """A line format packed as ``.gz`` or ``.zip``, rows mutated or not, then the archive's
    own bytes damaged or not."""
    inner = {fmt: (build, sep) for fmt, build, sep in _LINE_FORMATS if fmt != "unvotes"}
    pools = {fmt: _Pool(build, 15) for fmt, (build, _) in inner.items()}

    def make(rng: random.Random) -> Case:
        fmt = rng.choice(sorted(inner))
        seed = pools[fmt].pick(rng)
        if rng.random() < 0.5:
            data, expected, header_hit = mutated_lines(seed, rng, inner[fmt][1])
        else:
            data = b"\n".join(seed.header + seed.records) + b"\n"
            expected, header_hit = dict(seed.baseline), False
        if kind == "gz":
            packed = gzip.compress(data, mtime=0)
        else:
            out = io.BytesIO()
            method = rng.choice((zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED))
            with zipfile.ZipFile(out, "w", method) as archive:
                archive.writestr(f"{fmt}.csv", data)
            packed = out.getvalue()
        damaged = rng.random() < 0.7
        if damaged:
            for _ in range(rng.choice((1, 1, 2, 4))):
                packed = _mutate(packed, rng, b"\0")
        name = f"{fmt}.csv.gz" if kind == "gz" else f"{fmt}.zip"
        return Case({name: packed}, expected, file_error_ok=damaged or header_hit)

    def run(case: Case, folder: Path) -> Result:
        (name,) = case.files
        return _dataset_run(name.split(".")[0], name)(case, folder)

    return Fuzzer(make, run)


# -- UN votes ----------------------------------------------------------------------------


def _unvotes_seed(rng: random.Random) -> Seed:
    header = b'"rcid","country","country_code","vote","session","date"'
    records: list[bytes] = []
    keys: list[Hashable | None] = []
    taken: set[tuple[int, str]] = set()
    for _ in range(rng.randint(6, 20)):
        rcid, state = rng.randrange(1, 9000), rng.choice(STATES)
        if (rcid, state) in taken:
            continue
        taken.add((rcid, state))
        vote = rng.choice(("yes", "no", "abstain"))
        when = day(rng)
        records.append(f'{rcid},"{NAMES[state]}","{ALPHA2[state]}","{vote}",'
                       f'{when.year - 1945},"{when.isoformat()}"'.encode())  # fmt: skip
        keys.append((rcid, state))
    data = b"\n".join([header, *records]) + b"\n"
    return Seed([header], records, keys, _votes(data))


def _votes(data: bytes) -> dict[Hashable, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "votes.csv"
        path.write_bytes(data)
        errors: list[SourceError] = []
        table = read_unvotes_csv(path, errors=errors)
    if errors:
        raise AssertionError(f"an unvotes seed is not valid: {errors[:2]}")
    return _vote_rows(table)


def _vote_rows(table) -> dict[Hashable, object]:
    return {
        (int(row.rcid), row.country):
            (str(row.vote), None if row.session is pd.NA else int(row.session), row.date)
        for row in table.itertuples(index=False)
    }  # fmt: skip


def _unvotes_run(case: Case, folder: Path) -> Result:
    errors: list[SourceError] = []
    try:
        table = read_unvotes_csv(folder / "votes.csv", errors=errors)
    except SourceError:
        return Result({}, len(errors) + 1, file_error=True)
    bad = []
    for row in table.itertuples(index=False):
        if row.date == row.date and row.date.date() not in DATES:  # NaT != NaT
            bad.append(f"vote dated {row.date}")
        if (problem := _text_problem(row.country, one_line=True)) is not None:
            bad.append(problem)
    return Result(_vote_rows(table), len(errors), bad=bad)


def _unvotes_fuzzer() -> Fuzzer:
    seeds = _Pool(_unvotes_seed)

    def make(rng: random.Random) -> Case:
        data, expected, header_hit = mutated_lines(seeds.pick(rng), rng, b",")
        return Case({"votes.csv": data}, expected, file_error_ok=header_hit)

    return Fuzzer(make, _unvotes_run)


# -- UN ideal points ---------------------------------------------------------------------

COW = {"AZE": 373, "TUR": 640, "RUS": 365, "IRN": 630, "ARM": 371, "GEO": 372, "USA": 2,
       "CHN": 710, "FRA": 220, "DEU": 255, "UKR": 369, "KAZ": 705}  # fmt: skip
_IDEAL_HEADER = (b'"","ccode","session","NVotesAll","IdealPointAll","QO%All","Q5%All",'
                 b'"Q10%All","Q50%All","Q90%All","Q95%All","Q100%All","iso3c","Countryname"')


def _ideal_seed(rng: random.Random) -> Seed:
    records: list[bytes] = []
    keys: list[Hashable | None] = []
    taken: set[tuple[int, int]] = set()
    for i in range(rng.randint(6, 20)):
        state, session = rng.choice(STATES), rng.randint(1, 78)
        if (COW[state], session) in taken:
            continue
        taken.add((COW[state], session))
        x, spread = round(rng.uniform(-2.5, 3), 6), round(rng.uniform(0.05, 0.4), 6)
        q = [x - 3 * spread, x - spread, x - spread / 2, x, x + spread / 2, x + spread,
             x + 3 * spread]  # fmt: skip
        cells = [f'"{i + 1}"', COW[state], session, rng.randint(1, 120), x,
                 *(f"{v:.6f}" for v in q), f'"{state}"', f'"{NAMES[state]}"']  # fmt: skip
        records.append(",".join(str(c) for c in cells).encode())
        keys.append((COW[state], session))
    data = b"\n".join([_IDEAL_HEADER, *records]) + b"\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "points.csv"
        path.write_bytes(data)
        errors: list[SourceError] = []
        table = read_ideal_points(path, errors=errors)
    if errors:
        raise AssertionError(f"an ideal-point seed is not valid: {errors[:2]}")
    return Seed([_IDEAL_HEADER], records, keys, _ideal_rows(table))


def _ideal_rows(table) -> dict[Hashable, object]:
    return {
        (int(row.ccode), int(row.session)): (row.country, row.ideal_point, row.q5, row.q95)
        for row in table.itertuples(index=False)
    }


def _ideal_run(case: Case, folder: Path) -> Result:
    errors: list[SourceError] = []
    try:
        table = read_ideal_points(folder / "points.csv", errors=errors)
    except SourceError:
        return Result({}, len(errors) + 1, file_error=True)
    bad = []
    for row in table.itertuples(index=False):
        if not row.country or (problem := _text_problem(row.country, one_line=True)):
            bad.append(problem or "empty country")
        if not (row.session >= 1 and row.q5 <= row.q95 and math.isfinite(row.ideal_point)):
            bad.append(f"session {row.session}, ideal point {row.ideal_point}, "
                       f"q5 {row.q5}, q95 {row.q95}")  # fmt: skip
    return Result(_ideal_rows(table), len(errors), bad=bad)


def _ideal_fuzzer() -> Fuzzer:
    seeds = _Pool(_ideal_seed)

    def make(rng: random.Random) -> Case:
        data, expected, header_hit = mutated_lines(seeds.pick(rng), rng, b",")
        return Case({"points.csv": data}, expected, file_error_ok=header_hit)

    return Fuzzer(make, _ideal_run)


# -- documents: JSON Lines, text, HTML --------------------------------------------------


def _document_problem(doc: Document) -> str | None:
    for text, one_line in ((doc.text, False), (doc.title, True), (doc.url, True),
                           (doc.ref, True), (doc.source, True)):  # fmt: skip
        if (problem := _text_problem(text, one_line)) is not None:
            return problem
    if not doc.text.strip():
        return "empty text"
    if doc.published is None or doc.published not in DATES:
        return f"published {doc.published}"
    return None


def _document_key(doc: Document) -> tuple:
    # Not the source or ref: those name the file, which is written anew for each input.
    return (doc.id, doc.text, doc.published, doc.url, doc.title)


def _jsonl_seed(rng: random.Random) -> Seed:
    records: list[bytes] = []
    keys: list[Hashable | None] = []
    for _ in range(rng.randint(6, 20)):
        ref = ident(rng)
        obj: dict[str, object] = {"id": ref if rng.random() < 0.7 else int(ref)}
        obj["date"] = rng.choice((day(rng).isoformat(), day(rng).strftime("%d %B %Y")))
        if rng.random() < 0.7:
            obj["title"] = sentence(rng, 3, 8)
        if rng.random() < 0.5:
            obj["url"] = f"https://example.org/{ref}"
        obj["text"] = "\n\n".join(sentence(rng) for _ in range(rng.randint(1, 4)))
        order = list(obj.items())
        rng.shuffle(order)
        records.append(json.dumps(dict(order), ensure_ascii=rng.random() < 0.5).encode())
        keys.append(str(ref))
    data = b"\n".join(records) + b"\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_bytes(data)
        items = list(read_jsonl(path))
    bad = [i for i in items if isinstance(i, SourceError)]
    if bad:
        raise AssertionError(f"a JSONL seed is not valid: {bad[:2]}")
    return Seed([], records, keys, {d.ref: _document_key(d) for d in items})


def _jsonl_run(case: Case, folder: Path) -> Result:
    records: dict[Hashable, object] = {}
    errors = 0
    bad = []
    for item in read_jsonl(folder / "corpus.jsonl"):
        if isinstance(item, SourceError):
            errors += 1
            continue
        # Of two lines with one id, the first stands, as in the seed.
        records.setdefault(item.ref, _document_key(item))
        if (problem := _document_problem(item)) is not None:
            bad.append(problem)
    return Result(records, errors, bad=bad)


def _jsonl_fuzzer() -> Fuzzer:
    seeds = _Pool(_jsonl_seed)

    def make(rng: random.Random) -> Case:
        data, expected, _ = mutated_lines(seeds.pick(rng), rng, b'", "')
        return Case({"corpus.jsonl": data}, expected)

    return Fuzzer(make, _jsonl_run)


def _text_file(rng: random.Random) -> bytes:
    lines = []
    headers = [f"Title: {sentence(rng, 3, 8)}", f"URL: https://example.org/{ident(rng)}",
               f"Date: {rng.choice((day(rng).isoformat(), day(rng).strftime('%d %B %Y')))}"]
    rng.shuffle(headers)
    lines += [h for h in headers if h.startswith("Date") or rng.random() < 0.7]
    lines.append("")
    lines += ["\n".join(sentence(rng) for _ in range(rng.randint(1, 3)))
              for _ in range(rng.randint(1, 4))]  # fmt: skip
    text = "\n".join(lines)
    return (text.replace("\n", "\r\n") if rng.random() < 0.2 else text).encode()


def _html_file(rng: random.Random) -> bytes:
    title = sentence(rng, 3, 8)
    # trafilatura believes no page date before 1995.
    when = (dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(8000))).isoformat()
    paragraphs = "".join(f"<p>{sentence(rng, 10, 25)}</p>" for _ in range(rng.randint(2, 5)))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title} | Example News</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{when}T10:00:00Z">'
        f'<link rel="canonical" href="https://example.org/news/{ident(rng)}">'
        "</head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright Example News</footer></body></html>"
    ).encode()


def _folder_fuzzer(suffix: str, build: Callable[[random.Random], bytes], files: int) -> Fuzzer:
    """Several one-document files, one or more mutated; the others must each be read."""
    pool: list[tuple[bytes, tuple]] = []

    def seeds(rng: random.Random) -> list[tuple[bytes, tuple]]:
        if not pool:
            local = random.Random(0)
            with tempfile.TemporaryDirectory() as tmp:
                for k in range(30):
                    data = build(local)
                    path = Path(tmp) / f"{k}{suffix}"
                    path.write_bytes(data)
                    (item,) = iter_documents(path)
                    if not item.ok:
                        raise AssertionError(f"a {suffix} seed is not valid: {item.error}")
                    pool.append((data, _document_key(item.document)))
        return pool

    def make(rng: random.Random) -> Case:
        chosen = rng.sample(seeds(rng), files)
        hit = set(rng.sample(range(files), rng.randint(1, files - 1)))
        out: dict[str, bytes] = {}
        expected: dict[Hashable, object] = {}
        for k, (data, key) in enumerate(chosen):
            name = f"doc{k}{suffix}"
            if k in hit:
                for _ in range(rng.choice((1, 1, 2, 4))):
                    data = _mutate(data, rng, b"\n")
            else:
                expected[name] = key
            out[name] = data
        return Case(out, expected)

    def run(case: Case, folder: Path) -> Result:
        records: dict[Hashable, object] = {}
        errors = 0
        bad = []
        for item in iter_documents(folder):
            if item.error is not None:
                errors += 1
            elif item.document is not None:
                records[item.path.name] = _document_key(item.document)
                if (problem := _document_problem(item.document)) is not None:
                    bad.append(problem)
        return Result(records, errors, bad=bad)

    return Fuzzer(make, run)


# -- the registry -------------------------------------------------------------------------

_LINE_FORMATS = (
    ("gdelt1", lambda rng: _tab_seed(rng, "gdelt1", None, lambda r: _gdelt_row(r, 1)), b"\t"),
    ("gdelt2", lambda rng: _tab_seed(rng, "gdelt2", None, lambda r: _gdelt_row(r, 2)), b"\t"),
    ("icews", lambda rng: _tab_seed(rng, "icews", list(ICEWS_COLUMNS), _icews_row), b"\t"),
    ("polecat", lambda rng: _tab_seed(rng, "polecat", list(POLECAT_HEADER), _polecat_row),
     b"\t"),
    ("acled", _acled_seed, b","),
)

FUZZERS: dict[str, Fuzzer] = {
    "jsonl": _jsonl_fuzzer(),
    "txt": _folder_fuzzer(".txt", _text_file, files=3),
    "html": _folder_fuzzer(".html", _html_file, files=2),
    **{fmt: _line_fuzzer(fmt, build, sep) for fmt, build, sep in _LINE_FORMATS},
    "unvotes": _unvotes_fuzzer(),
    "idealpoints": _ideal_fuzzer(),
    "gz": _archive_fuzzer("gz"),
    "zip": _archive_fuzzer("zip"),
}
"""Every format fuzzed: name -> Fuzzer. Add a format by adding an entry."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", nargs="*", choices=sorted(FUZZERS), default=None,
                        help="formats to fuzz (default: all)")
    parser.add_argument("--n", type=int, default=10_000, help="inputs per format")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    args = parser.parse_args(argv)
    names = args.format or list(FUZZERS)

    print(f"{'format':<9} {'inputs':>7} {'crashes':>8} {'clean errors':>13} "
          f"{'good rows lost':>15} {'seconds':>8} {'slowest input':>14}")
    # Libraries warn about odd input (trafilatura's date parser about time zones); a
    # warning is neither a crash nor an error, and would break up the table.
    warnings.simplefilter("ignore")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            tally = fuzz(name, args.n, args.seed, Path(tmp))
            print(f"{name:<9} {tally.inputs:>7,} {tally.crashes:>8,} {tally.clean_errors:>13,} "
                  f"{tally.good_lost:>15,} {tally.seconds:>8.1f} {tally.slowest * 1000:>11.0f} ms",
                  flush=True)
            for example in tally.examples:
                print("  " + example.replace("\n", "\n  "))
            failed |= bool(tally.crashes or tally.good_lost)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
