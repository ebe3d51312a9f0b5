"""GDELT import speed: ``equipoise import`` against DuckDB's own INSERT ... SELECT over read_csv.

usage: python benchmarks/import_speed.py [--rows 3000000] [--version 1] [--dir DIR]
           [--keep] [--repeat 1] [--seed 7]

A synthetic GDELT export of --rows rows (``benchmarks/gdelt_synth.py``: well-formed rows
with realistic codes, about 380 bytes a row) is written to DIR (default: a temporary
directory, removed at the end unless --keep). Then each phase runs in a Python process of
its own, so its peak RSS (``ru_maxrss``) is its own:

* ``equipoise import``: :func:`equipoise.sources.importing.import_file`, what the command
  runs, into a fresh store;
* ``re-import``: the same file again into that store (every event is replaced);
* ``duckdb read_csv``: DuckDB alone: ``INSERT INTO events SELECT ... FROM read_csv(...)``
  into a fresh store of the same schema, with SQL that maps the rows as equipoise does
  (countries, blocs, sectors, the CAMEO table, title-cased names, the place and its
  coordinates) but checks nothing: no error reporting, no line numbers, no duplicate handling.

The two stores are then compared row by row (every column but the import's own
bookkeeping, ``IMPORT_COLUMNS``): the figures count only if they hold the same events.
Rows/s is rows of the file per second of wall-clock time; the ratio is equipoise's time
over DuckDB's. Other work on the machine slows every phase, so the load average is printed
with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The mapping DuckDB runs on its own: the same tables equipoise reads, no checks.
_BASELINE = """
INSERT INTO events ({columns})
WITH rows AS (
    SELECT * FROM read_csv('{path}', delim = '\\t', header = false, quote = '', escape = '',
                           all_varchar = true, columns = {{{names}}})
)
SELECT 'gdelt{version}:' || GLOBALEVENTID, 0, 0, coalesce(SOURCEURL, ''),
    coalesce(s1.iso, b1.bloc), s1.iso,
    CASE WHEN s1.iso IS NULL THEN 'IGO' ELSE coalesce(y1.sector, 'GOV') END,
    coalesce(s2.iso, b2.bloc), s2.iso,
    CASE WHEN s2.iso IS NULL THEN 'IGO' ELSE coalesce(y2.sector, 'GOV') END,
    k.code, k.root, k.quad, coalesce(CAST(GoldsteinScale AS DOUBLE), k.goldstein),
    nullif(k.plover, ''), strptime(SQLDATE, '%Y%m%d')::DATE, 'day', false, false, NULL,
    {title1}, {title2}, '{coder}', 'gdelt{version}',
    CAST(NumMentions AS INTEGER), CAST(NumSources AS INTEGER), CAST(NumArticles AS INTEGER),
    CAST(AvgTone AS DOUBLE), SOURCEURL,
    strptime(DATEADDED, '{added}'),
    CASE IsRootEvent WHEN '1' THEN true WHEN '0' THEN false END,
    NULL, nullif(ActionGeo_FullName, ''), NULL, nullif(ActionGeo_CountryCode, ''),
    CAST(ActionGeo_Lat AS DOUBLE), CAST(ActionGeo_Long AS DOUBLE), NULL, NULL
FROM rows
JOIN _equipoise_cameo k ON k.code = EventCode
LEFT JOIN _equipoise_state s1 ON s1.code = Actor1CountryCode
LEFT JOIN _equipoise_bloc b1 ON b1.code = Actor1KnownGroupCode
LEFT JOIN _equipoise_sector y1 ON y1.code = Actor1Type1Code
LEFT JOIN _equipoise_state s2 ON s2.code = Actor2CountryCode
LEFT JOIN _equipoise_bloc b2 ON b2.code = Actor2KnownGroupCode
LEFT JOIN _equipoise_sector y2 ON y2.code = Actor2Type1Code
WHERE coalesce(s1.iso, b1.bloc) IS NOT NULL AND coalesce(s2.iso, b2.bloc) IS NOT NULL
    AND coalesce(s1.iso, b1.bloc) <> coalesce(s2.iso, b2.bloc)
"""


def _title(name: str) -> str:
    # DuckDB has no title-case function: each run of letters gets a capital.
    return (
        f"CASE WHEN coalesce({name}, '') = '' THEN NULL ELSE array_to_string(list_transform("
        f"regexp_extract_all({name}, '[A-Za-z]+|[^A-Za-z]+'), lambda w: CASE WHEN "
        "regexp_full_match(w[1], '[A-Za-z]') THEN upper(w[1]) || lower(w[2:]) ELSE w END), "
        "'') END"
    )


def phase_equipoise(path: Path, db: Path, version: int) -> dict:
    from equipoise.sources.importing import import_file
    from equipoise.store import Store

    with Store(db) as store:
        start, cpu = time.perf_counter(), time.process_time()
        report = import_file(store, path, f"gdelt{version}")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "rows": report.rows, "events": report.events,
            "added": report.added, "replaced": report.replaced,
            "errors": len(report.errors)}  # fmt: skip


def phase_duckdb(path: Path, db: Path, version: int) -> dict:
    from equipoise.sources.datasets import CODERS, GDELT1_COLUMNS, GDELT2_COLUMNS
    from equipoise.sources.gdeltbulk import _reference_tables
    from equipoise.store import Store
    from equipoise.store.db import ALL_EVENT_COLUMNS, IMPORT_COLUMNS

    with Store(db):  # the same schema, made by equipoise
        pass
    import duckdb

    columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    con = duckdb.connect(str(db))
    _reference_tables(con)
    sql = _BASELINE.format(
        columns=", ".join(f'"{c}"' for c in ALL_EVENT_COLUMNS if c not in IMPORT_COLUMNS),
        path=str(path).replace("'", "''"), version=version, coder=CODERS[f"gdelt{version}"],
        names=", ".join(f"'{c}': 'VARCHAR'" for c in columns),
        title1=_title("Actor1Name"), title2=_title("Actor2Name"),
        added="%Y%m%d" if version == 1 else "%Y%m%d%H%M%S",
    )  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    con.begin()
    con.execute(sql)
    con.commit()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    (events,) = con.execute("SELECT count(*) FROM events").fetchone()
    con.close()
    return {"seconds": seconds, "cpu": cpu, "events": events}


def _peak_rss_mb() -> float:
    """This process's peak RSS. ``ru_maxrss`` would do, but Linux carries it over from the
    parent through fork and exec; the kernel's high-water mark of the process does not."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _compare(ours: Path, theirs: Path) -> int:
    """Rows in one store and not the other, both ways, over the event columns."""
    import duckdb

    from equipoise.store.db import ALL_EVENT_COLUMNS, IMPORT_COLUMNS

    names = ", ".join(f'"{c}"' for c in ALL_EVENT_COLUMNS if c not in IMPORT_COLUMNS)
    con = duckdb.connect()
    con.execute(f"ATTACH '{ours}' AS a (READ_ONLY); ATTACH '{theirs}' AS b (READ_ONLY)")
    (differ,) = con.execute(
        f"SELECT (SELECT count(*) FROM (SELECT {names} FROM a.events EXCEPT ALL "
        f"SELECT {names} FROM b.events)) + (SELECT count(*) FROM (SELECT {names} FROM "
        f"b.events EXCEPT ALL SELECT {names} FROM a.events))"
    ).fetchone()
    return differ


def _run(phase: str, path: Path, db: Path, version: int) -> dict:
    """Run a phase in its own process; its result with its peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--file", str(path), "--db", str(db),
         "--version", str(version)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--version", type=int, choices=(1, 2), default=1)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:  # a child process: one phase, its result as JSON
        run = phase_equipoise if args.phase == "equipoise" else phase_duckdb
        result = run(args.file, args.db, args.version)
        result["rss_mb"] = _peak_rss_mb()
        print(json.dumps(result))
        return

    from gdelt_synth import write_gdelt

    folder = args.dir or Path(tempfile.mkdtemp(prefix="equipoise-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path = folder / f"synthetic.gdelt{args.version}.{args.rows}.export.CSV"
        if not path.exists():
            start = time.perf_counter()
            write_gdelt(path, args.rows, args.version, args.seed)
            print(f"wrote {path} ({path.stat().st_size / 1e6:,.0f} MB) in "
                  f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        results: dict[str, list[dict]] = {"equipoise import": [], "re-import": [],
                                          "duckdb read_csv": []}  # fmt: skip
        for n in range(args.repeat):
            ours, theirs = folder / f"equipoise.{n}.duckdb", folder / f"duckdb.{n}.duckdb"
            for db in (ours, theirs):
                for stale in (db, Path(f"{db}.wal")):
                    stale.unlink(missing_ok=True)
            results["equipoise import"].append(_run("equipoise", path, ours, args.version))
            results["re-import"].append(_run("equipoise", path, ours, args.version))
            results["duckdb read_csv"].append(_run("duckdb", path, theirs, args.version))
            differ = _compare(ours, theirs)
            if differ:
                print(f"warning: the stores differ in {differ:,} rows")
            for db in (ours, theirs):
                if not args.keep:
                    db.unlink(missing_ok=True)
        print(f"\n{args.rows:,} GDELT {args.version}.0 rows; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
        best = {name: min(runs, key=lambda r: r["seconds"]) for name, runs in results.items()}
        base = best["duckdb read_csv"]["seconds"]
        print(f"{'phase':<18}{'seconds':>9}{'CPU s':>8}{'rows/s':>12}{'x duckdb':>10}"
              f"{'peak RSS':>11}{'events':>11}")  # fmt: skip
        for name, result in best.items():
            rate = args.rows / result["seconds"]
            print(f"{name:<18}{result['seconds']:>9.2f}{result['cpu']:>8.2f}{rate:>12,.0f}"
                  f"{result['seconds'] / base:>10.2f}{result['rss_mb']:>8,.0f} MB"
                  f"{result['events']:>11,}")  # fmt: skip
        print("stores identical" if not differ else f"stores differ in {differ:,} rows")
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
