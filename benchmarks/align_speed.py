"""Alignment speed on a large store: one focal state against five poles, end to end.

usage: python benchmarks/align_speed.py [DB] [--events 10000000] [--reuse] [--keep] [--parquet]
           [--focal AZE] [--poles TUR,RUS,IRN,USA,EU] [--dyad-share 0.05]
           [--repeat 5] [--freq month] [--legacy] [--seed 7]

First a store of synthetic coded events is generated into DB (default: a fresh file in a
temporary directory, removed at the end unless --keep). --reuse keeps a DB that already holds
events instead of generating it again. The events are shaped like a news-coded event store:

* about 190 states plus blocs as actors, with Zipf-like activity (a few powers in most events);
* event dates over ten years, volume growing with time, events dated on or a few days before
  their document's publication, some only to the month or the year;
* CAMEO codes from the package table ``data/cameo.csv`` with realistic root frequencies
  (statements and consultations common, force rare), quad class, Goldstein weight and PLOVER
  type taken from the table, symmetric joint actions (talks, drills, clashes);
* documents of one to six events each, one small row per document in ``documents``;
* a share (--dyad-share, default 5%) of events between the focal state and a pole, so
  alignment reads about that share of the store (about 500,000 rows of 10 million).

Generation builds integer columns with numpy, one million rows at a time, and lets DuckDB turn
them into the store's rows with one INSERT ... SELECT per chunk; the schema comes from
``equipoise.store.Store``. Ten million events take a minute or two and about 1 GB of disk.

Then each phase runs in its own Python process, so its peak RSS (``ru_maxrss``) is that
phase's own, not the generation's:

* ``align``: ``equipoise.api.align(focal, poles, db=DB, freq=...)``, end to end;
* ``align, ci=0.9``: the same with bootstrap intervals when ``align`` takes a ``ci`` argument
  (``equipoise.api.align``, else the store read plus ``equipoise.analysis.align``), or n/a;
* ``load`` / ``analysis``: one process that reads the store as ``api.align`` does
  (``Store.dyad_frame``) and then runs ``equipoise.analysis.align`` on the frame, timing the
  two apart, with intervals too when available;
* ``load alone``: the store read only, and the size of the frame it makes;
* ``legacy load`` / ``legacy analysis`` (with --legacy): the older read of every event of any
  of the actors with its sentence and document (``Store.events_frame``), then the analysis.
  At full size that is six million rows and over 10 GB; the process is capped at three
  quarters of the machine's memory and reported as failed if it runs out.

With --parquet, the store's events are also written as a Parquet event dataset beside it
(``DIR/month=YYYY-MM/*.parquet``, one folder per month, and the documents in
``DIR/_documents``, by DuckDB's ``COPY ... PARTITION_BY``; with --reuse, one already written
there whole is read instead), and two more phases run:

* ``align, Parquet``: ``equipoise.api.align(focal, poles, events=DIR, freq=...)``;
* ``align, Parquet, window``: the same for the last year only, which reads the files of
  twelve months.

Both report whether their table is the store's (a hash of the rows of the same question).

The focal state and the poles are state or bloc codes; as in the analysis, a bloc pole (EU)
stands for its member states too, so the focal state's events with EU members are read.
Each time is the median over --repeat runs (the first included), with the fastest and the
slowest; "base RSS" is a measuring process after its imports, before the first read. Other
work on the machine slows every phase, so the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import inspect
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHUNK = 1_000_000
DAYS_FROM = dt.date(2015, 1, 1)
DAYS = 3653  # ten years
CODER = "equipoise-rules-0.1"

# Share of events by CAMEO root, roughly as in news-coded event data: public statements and
# consultations dominate, material conflict is rarer and mass violence very rare.
ROOT_SHARE = {
    "01": 18.0, "02": 5.0, "03": 8.0, "04": 24.0, "05": 9.0, "06": 2.5, "07": 2.0,
    "08": 2.5, "09": 1.0, "10": 2.5, "11": 6.0, "12": 2.5, "13": 2.0, "14": 2.0,
    "15": 0.7, "16": 1.5, "17": 4.0, "18": 3.0, "19": 3.2, "20": 0.1,
}  # fmt: skip
TRIGGER = {
    "01": "said", "02": "urged", "03": "pledged", "04": "met", "05": "praised",
    "06": "signed", "07": "sent", "08": "eased", "09": "investigated", "10": "demanded",
    "11": "criticised", "12": "rejected", "13": "warned", "14": "protested", "15": "deployed",
    "16": "expelled", "17": "sanctioned", "18": "attacked", "19": "clashed", "20": "killed",
}  # fmt: skip
# Share of events of a root that are joint actions without a direction (talks, drills, clashes).
SYMMETRIC_SHARE = {"04": 0.3, "06": 0.2, "19": 0.5}
# The most active actors first, in order; the other states follow in a fixed shuffled order,
# with the focal state placed at a middling rank.
LEADERS = (
    "USA", "RUS", "CHN", "GBR", "FRA", "ISR", "IRN", "TUR", "DEU", "UKR", "IND", "JPN",
    "PAK", "SYR", "AFG", "IRQ", "SAU", "KOR", "PRK", "EGY", "ITA", "CAN", "AUS", "BRA",
)  # fmt: skip
BLOCS = {"EU": 0.45, "NATO": 0.2, "UN": 0.2, "ASEAN": 0.05, "AU": 0.05, "SCO": 0.05}
BLOC_SHARE = 0.05  # of actor slots
SECTORS = {"GOV": 0.55, "MIL": 0.1, "MED": 0.08, "CVL": 0.1, "OPP": 0.05, "BUS": 0.07, "REB": 0.05}
# Conflict roots are this many times likelier between the focal state and a pole than overall,
# so the poles differ and the tilt table says something.
POLE_CONFLICT = {"RUS": 1.6, "IRN": 1.3, "TUR": 0.4, "USA": 1.0, "EU": 0.7}
POLE_WEIGHT = {"RUS": 0.3, "TUR": 0.3, "IRN": 0.15, "USA": 0.15, "EU": 0.1}
FOCAL_RANK = 60


# --------------------------------------------------------------------------- generation


def _cameo_table() -> list[dict[str, str]]:
    from equipoise.reference.cameo import DEFAULT_PATH

    with DEFAULT_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _code_weights(rows: list[dict[str, str]], conflict: float = 1.0) -> np.ndarray:
    """Probability of each CAMEO row: the root's share spread over its codes, the root code
    itself and the three-digit codes drawn more often than the four-digit ones."""
    level_weight = {2: 4.0, 3: 2.0, 4: 1.0}
    per_root: dict[str, float] = {}
    for row in rows:
        per_root[row["root"]] = per_root.get(row["root"], 0.0) + level_weight[len(row["code"])]
    weights = np.array(
        [
            ROOT_SHARE[r["root"]]
            * (conflict if int(r["quad"]) >= 3 else 1.0)
            * level_weight[len(r["code"])]
            / per_root[r["root"]]
            for r in rows
        ]
    )
    return weights / weights.sum()


def _actors(focal: str, poles: list[str], seed: int) -> tuple[list[dict], np.ndarray]:
    """Every actor with its code, country and name, and its share of actor slots."""
    from equipoise.reference.cameo import DEFAULT_PATH

    data = DEFAULT_PATH.parent / "actors"
    with (data / "countries.csv").open(encoding="utf-8", newline="") as fh:
        names = {r["iso3"]: r["name"] for r in csv.DictReader(fh)}
    with (data / "blocs.csv").open(encoding="utf-8", newline="") as fh:
        bloc_names = {r["code"]: r["name"] for r in csv.DictReader(fh)}
    blocs = dict(BLOCS)
    for pole in poles:  # a pole that is a bloc must be able to act
        if pole in bloc_names and pole not in blocs:
            blocs[pole] = 0.1
    rest = [c for c in names if c not in LEADERS and c != focal]
    np.random.default_rng(seed).shuffle(rest)
    ranked = [c for c in LEADERS if c != focal and c in names] + rest
    ranked.insert(min(FOCAL_RANK, len(ranked)), focal)
    state_weight = 1.0 / np.arange(1, len(ranked) + 1) ** 1.1
    state_weight *= (1 - BLOC_SHARE) / state_weight.sum()
    bloc_weight = np.array(list(blocs.values()))
    bloc_weight *= BLOC_SHARE / bloc_weight.sum()
    actors = [{"code": c, "country": c, "name": names[c]} for c in ranked] + [
        {"code": b, "country": None, "name": bloc_names.get(b, b)} for b in blocs
    ]
    return actors, np.concatenate([state_weight, bloc_weight])


def _doc_key(doc_no: np.ndarray) -> np.ndarray:
    """A 64-bit key per document number, one to one (an odd multiplier is invertible mod 2**64),
    written out as the 16 hex digits of a document id."""
    x = doc_no.astype(np.uint64) + np.uint64(0x5EED)
    x *= np.uint64(0x9E3779B97F4A7C15)
    x ^= x >> np.uint64(29)
    return x


def _setup_dimensions(con, actors, cameo, focal) -> None:
    import pandas as pd

    con.execute("CREATE TEMP MACRO doc_id(k) AS lpad(lower(hex(k)), 16, '0')")
    con.register(
        "dim_actor",
        pd.DataFrame(
            {
                "i": np.arange(len(actors), dtype=np.int32),
                "code": [a["code"] for a in actors],
                "country": [a["country"] for a in actors],
                "name": [a["name"] for a in actors],
            }
        ),
    )
    con.register(
        "dim_cameo",
        pd.DataFrame(
            {
                "i": np.arange(len(cameo), dtype=np.int32),
                "code": [r["code"] for r in cameo],
                "root": [r["root"] for r in cameo],
                "quad": [int(r["quad"]) for r in cameo],
                "goldstein": [float(r["goldstein"]) for r in cameo],
                "plover": [r["plover_event"] or None for r in cameo],
                "verb": [r["label"].lower() for r in cameo],
                "trigger": [TRIGGER[r["root"]] for r in cameo],
            }
        ),
    )
    con.register(
        "dim_sector",
        pd.DataFrame({"i": np.arange(len(SECTORS) + 1, dtype=np.int32), "code": [*SECTORS, "IGO"]}),
    )
    con.register(
        "dim_precision",
        pd.DataFrame({"i": np.arange(3, dtype=np.int32), "code": ["day", "month", "year"]}),
    )


_INSERT_EVENTS = """
INSERT INTO events (doc_id, sent_start, sentence, sent_end, source, source_country,
    source_sector, target, target_country, target_sector, cameo, root, quad, goldstein,
    plover, event_date, date_precision, "symmetric", reported, trigger, coder, dataset)
SELECT
    doc_id(c.doc_key), c.sent_start,
    s.name || ' and ' || t.name || ': ' || k.verb || ', officials said on the record.'
        AS sentence,
    c.sent_start + length(sentence),
    s.code, s.country, ss.code, t.code, t.country, ts.code,
    k.code, k.root, k.quad, k.goldstein, k.plover,
    DATE '1970-01-01' + c.day, p.code, c.sym, c.reported, k.trigger, ?, 'equipoise'
FROM chunk c
JOIN dim_actor s ON s.i = c.src
JOIN dim_actor t ON t.i = c.tgt
JOIN dim_sector ss ON ss.i = c.src_sector
JOIN dim_sector ts ON ts.i = c.tgt_sector
JOIN dim_cameo k ON k.i = c.cam
JOIN dim_precision p ON p.i = c.precision
"""

_INSERT_DOCUMENTS = """
INSERT INTO documents (id, ref, url, title, source, published, text)
SELECT doc_id(c.doc_key), 'bench-' || c.doc_no, 'https://news.example/a/' || c.doc_no,
    'Article ' || c.doc_no, 'benchmark', DATE '1970-01-01' + c.day,
    'Placeholder text of article ' || c.doc_no || '.'
FROM chunk c
"""


def generate(
    path: Path, n: int, focal: str, poles: list[str], dyad_share: float, seed: int
) -> dict:
    """Fill a fresh store at ``path`` with ``n`` synthetic events; returns what it made."""
    import duckdb
    import pandas as pd

    from equipoise.store import Store

    rng = np.random.default_rng(seed)
    cameo = _cameo_table()
    actors, actor_p = _actors(focal, poles, seed)
    index = {a["code"]: i for i, a in enumerate(actors)}
    unknown = [c for c in [focal, *poles] if c not in index]
    if unknown:
        raise SystemExit(f"unknown actor code(s) for the generator: {', '.join(unknown)}")
    code_p = _code_weights(cameo)
    pole_code_p = {p: _code_weights(cameo, POLE_CONFLICT.get(p, 1.0)) for p in poles}
    pole_p = np.array([POLE_WEIGHT.get(p, 0.1) for p in poles])
    pole_p /= pole_p.sum()
    symmetric_p = np.array([SYMMETRIC_SHARE.get(r["root"], 0.0) for r in cameo])
    is_bloc = np.array([a["country"] is None for a in actors])
    sector_p = np.array(list(SECTORS.values()))
    sector_p /= sector_p.sum()

    # Documents: one to six events each; volume grows over the ten years (density 1 + x).
    size_p = np.array([0.30, 0.25, 0.18, 0.12, 0.09, 0.06])
    sizes = rng.choice(np.arange(1, 7), size=int(n / 2.5) + 10, p=size_p)
    ends = np.cumsum(sizes)
    n_docs = int(np.searchsorted(ends, n) + 1)
    sizes = sizes[:n_docs]
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), sizes)[:n]
    doc_first = np.concatenate([[0], ends[: n_docs - 1]])
    u = rng.random(n_docs)
    published = ((np.sqrt(1 + 3 * u) - 1) * (DAYS - 1)).astype(np.int32)
    published.sort()  # documents arrive in order of publication, as a feed would
    epoch = (DAYS_FROM - dt.date(1970, 1, 1)).days
    published += epoch

    Store(path).close()  # schema and version
    con = duckdb.connect(str(path))
    _setup_dimensions(con, actors, cameo, focal)
    focal_i = index[focal]
    pole_i = np.array([index[p] for p in poles])
    dyads = 0
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        m = hi - lo
        doc = doc_of[lo:hi]
        src = rng.choice(len(actors), size=m, p=actor_p).astype(np.int32)
        tgt = rng.choice(len(actors), size=m, p=actor_p).astype(np.int32)
        same = src == tgt
        tgt[same] = (tgt[same] + 1 + rng.integers(0, 20, same.sum())) % len(actors)
        cam = rng.choice(len(cameo), size=m, p=code_p).astype(np.int32)

        dyad = rng.random(m) < dyad_share
        k = int(dyad.sum())
        dyads += k
        which = rng.choice(len(poles), size=k, p=pole_p)
        outward = rng.random(k) < 0.5
        src[dyad] = np.where(outward, focal_i, pole_i[which])
        tgt[dyad] = np.where(outward, pole_i[which], focal_i)
        dyad_cam = np.empty(k, dtype=np.int32)
        for j, pole in enumerate(poles):
            mine = which == j
            dyad_cam[mine] = rng.choice(len(cameo), size=int(mine.sum()), p=pole_code_p[pole])
        cam[dyad] = dyad_cam

        lag = np.minimum(rng.geometric(0.55, m) - 1, 30)
        day = published[doc] - lag
        precision = rng.choice(3, size=m, p=[0.9, 0.08, 0.02]).astype(np.int8)
        dates = day.astype("datetime64[D]")
        months = dates.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        years = dates.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
        day = np.select([precision == 1, precision == 2], [months, years], day).astype(np.int32)

        def sector(actor: np.ndarray) -> np.ndarray:
            drawn = rng.choice(len(SECTORS), size=len(actor), p=sector_p).astype(np.int8)
            return np.where(is_bloc[actor], len(SECTORS), drawn).astype(np.int8)

        chunk = pd.DataFrame(
            {
                "doc_key": _doc_key(doc),
                "sent_start": (
                    (np.arange(lo, hi) - doc_first[doc]) * 240 + rng.integers(0, 120, m)
                ).astype(np.int32),
                "src": src,
                "tgt": tgt,
                "src_sector": sector(src),
                "tgt_sector": sector(tgt),
                "cam": cam,
                "day": day,
                "precision": precision,
                "sym": rng.random(m) < symmetric_p[cam],
                "reported": rng.random(m) < 0.15,
            }
        )
        con.register("chunk", chunk)
        con.execute(_INSERT_EVENTS, [CODER])
        con.unregister("chunk")
        print(f"\r  events {hi:>12,} / {n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    for lo in range(0, n_docs, CHUNK):
        hi = min(lo + CHUNK, n_docs)
        doc_no = np.arange(lo, hi, dtype=np.int64)
        con.register(
            "chunk",
            pd.DataFrame({"doc_no": doc_no, "doc_key": _doc_key(doc_no), "day": published[lo:hi]}),
        )
        con.execute(_INSERT_DOCUMENTS)
        con.unregister("chunk")
    con.execute(
        "INSERT INTO codings (doc_id, coder, n_events) "
        "SELECT doc_id, ?, count(*) FROM events GROUP BY doc_id",
        [CODER],
    )
    con.execute("CHECKPOINT")
    con.close()
    return {"events": n, "documents": n_docs, "dyad_rows_planted": dyads}


# --------------------------------------------------------------------------- measuring


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _takes_ci(func) -> bool:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return "ci" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _worker(args: argparse.Namespace) -> dict:
    """One phase in this process; returns times (s) and peak RSS (MB) as a dict."""
    if args.worker == "generate":
        t0 = time.perf_counter()
        made = generate(args.db, args.events, args.focal, args.poles, args.dyad_share, args.seed)
        return {**made, "seconds": time.perf_counter() - t0, "peak_rss_mb": _rss_mb()}

    import equipoise.api as api
    from equipoise.analysis import align as analyse
    from equipoise.reference.memberships import load_memberships
    from equipoise.store import Store

    db, focal, poles, freq, repeat = args.db, args.focal, args.poles, args.freq, args.repeat
    base = _rss_mb()
    out: dict = {"phase": args.worker, "base_rss_mb": base}

    def load():
        """The store read as ``api.align`` makes it: the dyads only, blocs with their members."""
        table = load_memberships()
        members: dict[str, list[str]] = {}
        for bloc, state in zip(table["bloc"], table["member"], strict=True):
            if bloc in (focal, *poles):
                members.setdefault(bloc, []).append(state)
        with Store(db, read_only=True) as store:
            return store.dyad_frame(focal, poles, members=members)

    def timed(func, times: list[float]):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
        return result

    ci_in_api, ci_in_analysis = _takes_ci(api.align), _takes_ci(analyse)
    phase = args.worker
    last_year = {"start": DAYS_FROM + dt.timedelta(days=DAYS - 365),
                 "end": DAYS_FROM + dt.timedelta(days=DAYS - 1)}
    if phase in ("align", "align-window"):
        times: list[float] = []
        window = last_year if phase == "align-window" else {}
        for _ in range(repeat):
            result = timed(lambda: api.align(focal, poles, db=db, freq=freq, **window), times)
        out.update(times=times, rows=len(result), digest=_digest(result))
    elif phase == "export":
        t0 = time.perf_counter()
        _export(db, _dataset_dir(db))
        out.update(seconds=time.perf_counter() - t0)
    elif phase in ("align-parquet", "align-parquet-window"):
        times = []
        window = last_year if phase == "align-parquet-window" else {}
        folder = str(_dataset_dir(db))
        for _ in range(repeat):
            result = timed(lambda: api.align(focal, poles, events=folder, freq=freq, **window),
                           times)
        out.update(times=times, rows=len(result), digest=_digest(result))
    elif phase == "align-ci":
        if ci_in_api:
            out["via"] = "equipoise.api.align"

            def run():
                return api.align(focal, poles, db=db, freq=freq, ci=args.ci)
        elif ci_in_analysis:
            out["via"] = "Store.dyad_frame + equipoise.analysis.align"

            def run():
                return analyse(load(), focal, poles, freq=freq, ci=args.ci)
        else:
            out["unavailable"] = "intervals not available yet: align takes no ci argument"
            return out
        times = []
        for _ in range(repeat):
            result = timed(run, times)
        out.update(times=times, rows=len(result))
    elif phase == "load":
        with Store(db, read_only=True) as store:
            counts = store.stats()
        out.update(store_events=counts["events"], store_documents=counts["documents"])
        times = []
        for _ in range(repeat):
            frame = timed(load, times)
        out.update(
            times=times, rows=len(frame), frame_mb=frame.memory_usage(deep=True).sum() / 2**20
        )
    elif phase == "split":
        loads: list[float] = []
        analyses: list[float] = []
        with_ci: list[float] = []
        for _ in range(repeat):
            frame = timed(load, loads)
            timed(lambda: analyse(frame, focal, poles, freq=freq), analyses)  # noqa: B023
            if ci_in_analysis:
                timed(lambda: analyse(frame, focal, poles, freq=freq, ci=args.ci), with_ci)  # noqa: B023
        out.update(load_times=loads, analysis_times=analyses, ci_times=with_ci, rows=len(frame))
    elif phase == "legacy":
        # Every event of any of the actors, with its sentence and document: many GB from a
        # large store. Fail with MemoryError rather than drive the machine into the OOM killer.
        limit = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 3 // 4
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        def read():
            with Store(db, read_only=True) as store:
                return store.events_frame(actors=[focal, *poles])

        loads, analyses = [], []
        for _ in range(repeat):
            frame = timed(read, loads)
            timed(lambda: analyse(frame, focal, poles, freq=freq), analyses)  # noqa: B023
        out.update(
            load_times=loads,
            analysis_times=analyses,
            rows=len(frame),
            frame_mb=frame.memory_usage(deep=True).sum() / 2**20,
        )
    out["peak_rss_mb"] = _rss_mb()
    return out


def _digest(table) -> str:
    import pandas as pd

    return str(int(pd.util.hash_pandas_object(table, index=False).sum()))


def _dataset_dir(db: Path) -> Path:
    return db.with_name(db.stem + "-events")


def _export(db: Path, folder: Path) -> None:
    """The store's events as a Parquet dataset partitioned by month, and its documents."""
    import duckdb

    from equipoise.store.parquet import DOCUMENTS_DIR

    if folder.exists():
        shutil.rmtree(folder)
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET preserve_insertion_order = false")  # lets COPY stream in parallel
    quoted = str(folder).replace("'", "''")
    con.execute(
        "COPY (SELECT *, strftime(event_date, '%Y-%m') AS month FROM events) "
        f"TO '{quoted}' (FORMAT parquet, PARTITION_BY (month), COMPRESSION zstd)")
    (folder / DOCUMENTS_DIR).mkdir()
    con.execute(
        "COPY (SELECT d.id, d.ref, d.url, d.title, d.source, d.published, c.coder, c.status, "
        "c.n_events, c.reason FROM documents d LEFT JOIN codings c ON c.doc_id = d.id) "
        f"TO '{quoted}/{DOCUMENTS_DIR}/part-0.parquet' (FORMAT parquet, COMPRESSION zstd)")
    con.close()


def _run_phase(phase: str, args: argparse.Namespace, repeat: int) -> dict:
    """Run one phase in a fresh interpreter and return what it measured.

    Linux carries a process's peak RSS over into a child it forks and execs, so the
    launcher stays small (it imports no pandas nor DuckDB and generates nothing itself):
    each phase's ``ru_maxrss`` is then that phase's own.
    """
    command = [
        sys.executable, str(Path(__file__).resolve()), str(args.db), "--worker", phase,
        "--focal", args.focal, "--poles", ",".join(args.poles), "--freq", args.freq,
        "--repeat", str(repeat), "--ci", str(args.ci), "--events", str(args.events),
        "--dyad-share", str(args.dyad_share), "--seed", str(args.seed),
    ]  # fmt: skip
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return {"failed": f"phase {phase} failed (exit status {done.returncode})"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _disk_mb(path: Path) -> float:
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists()) / 2**20


def _fmt_times(times: list[float]) -> str:
    return f"{statistics.median(times):8.2f} s   ({min(times):.2f}-{max(times):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", type=Path, help="store file (default: a temp dir)")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--focal", default="AZE")
    parser.add_argument("--poles", default="TUR,RUS,IRN,USA,EU")
    parser.add_argument("--dyad-share", type=float, default=0.05)
    parser.add_argument("--freq", default="month", choices=["month", "quarter", "year"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ci", type=float, default=0.9, help="interval level for the ci runs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="use the events already in DB")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    parser.add_argument("--legacy", action="store_true", help="also time Store.events_frame")
    parser.add_argument("--parquet", action="store_true",
                        help="also align over the events as a Parquet dataset")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.focal = args.focal.strip().upper()
    args.poles = [p.strip().upper() for p in args.poles.split(",") if p.strip()]

    if args.worker:
        print(json.dumps(_worker(args)))
        return 0

    command = shlex.join([Path(sys.executable).name, *sys.argv])
    tmp = None
    if args.db is None:
        tmp = Path(tempfile.mkdtemp(prefix="equipoise-bench-"))
        args.db = tmp / "bench.duckdb"
    try:
        return _bench(args, command)
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp is None and args.parquet and not args.keep:
            shutil.rmtree(_dataset_dir(args.db), ignore_errors=True)
        elif tmp is not None:
            print(f"store kept at {args.db}")


def _bench(args: argparse.Namespace, command: str) -> int:
    rows: list[tuple[str, str, str]] = []
    if args.reuse and args.db.exists():
        print(f"reusing {args.db}")
        generated = None
    else:
        if args.db.exists():
            raise SystemExit(f"{args.db} exists: pass --reuse to measure it, or another path")
        print(f"generating {args.events:,} events into {args.db}", flush=True)
        generated = _run_phase("generate", args, 1)
        if "failed" in generated:
            raise SystemExit(generated["failed"])
        rows.append(
            (
                "generate",
                f"{generated['seconds']:8.1f} s",
                f"peak RSS {generated['peak_rss_mb']:,.0f} MB",
            )
        )

    phases = ["load", "split", "align", "align-ci"] + (["legacy"] if args.legacy else [])
    # The documents are exported last: with them there, the dataset is whole.
    exported = (_dataset_dir(args.db) / "_documents" / "part-0.parquet").exists()
    reuse_export = args.reuse and exported
    if args.parquet:
        phases += [*([] if reuse_export else ["export"]), "align-window", "align-parquet",
                   "align-parquet-window"]
    results = {}
    if reuse_export:
        print(f"reusing {_dataset_dir(args.db)}")
        results["export"] = {"reused": True}
    for phase in phases:
        print(f"measuring {phase}", flush=True)
        once = phase in ("legacy", "export")
        results[phase] = _run_phase(phase, args, 1 if once else args.repeat)
    for phase in ("load", "split", "align"):
        if "failed" in results[phase]:
            raise SystemExit(results[phase]["failed"])
    load, split, plain, ci = (results[p] for p in ("load", "split", "align", "align-ci"))

    def rss(result: dict, what: str = "") -> str:
        return f"peak RSS {result['peak_rss_mb']:,.0f} MB" + (f" ({what})" if what else "")

    rows.append(("align", _fmt_times(plain["times"]), rss(plain)))
    label = f"align, ci={args.ci:g}"
    if "times" in ci:
        rows.append((label, _fmt_times(ci["times"]), f"{rss(ci)}, via {ci['via']}"))
    else:
        rows.append((label, "     n/a", ci.get("unavailable") or ci.get("failed", "")))
    rows += [
        ("  load", _fmt_times(split["load_times"]), "store read, split run"),
        ("  analysis", _fmt_times(split["analysis_times"]), rss(split, "load + analyses")),
    ]
    if split["ci_times"]:
        rows.append((f"  analysis, ci={args.ci:g}", _fmt_times(split["ci_times"]), ""))
    rows.append(
        ("load alone", _fmt_times(load["times"]), f"{rss(load)}, frame {load['frame_mb']:,.0f} MB")
    )
    if args.legacy:
        legacy = results["legacy"]
        if "failed" in legacy:
            rows.append(("legacy", "     n/a", legacy["failed"]))
        else:
            rows += [
                (
                    "legacy load",
                    _fmt_times(legacy["load_times"]),
                    f"Store.events_frame: {legacy['rows']:,} rows, frame "
                    f"{legacy['frame_mb']:,.0f} MB",
                ),
                ("legacy analysis", _fmt_times(legacy["analysis_times"]), rss(legacy)),
            ]

    if args.parquet:
        export = results["export"]
        if "failed" in export:
            raise SystemExit(export["failed"])
        folder = _dataset_dir(args.db)
        size = sum(f.stat().st_size for f in folder.rglob("*.parquet")) / 2**20
        months = sum(1 for _ in folder.glob("month=*"))
        took = "  reused" if export.get("reused") else f"{export['seconds']:8.1f} s"
        rows.append(("export to Parquet", took, f"{size:,.0f} MB in {months} month folders"))
        window = results["align-window"]
        rows.append(("align, last year", _fmt_times(window["times"]), rss(window)))
        for phase, label, same_as in (("align-parquet", "align, Parquet", plain),
                                      ("align-parquet-window", "align, Parquet, last year",
                                       window)):
            result = results[phase]
            if "failed" in result:
                rows.append((label, "     n/a", result["failed"]))
                continue
            same = "same table as the store" if result["digest"] == same_as["digest"] \
                else "TABLE DIFFERS from the store's"
            rows.append((label, _fmt_times(result["times"]), f"{rss(result)}; {same}"))

    n_events, n_docs, dyad_rows = load["store_events"], load["store_documents"], load["rows"]
    cores = os.cpu_count() or 0
    load_1, _, load_15 = os.getloadavg()
    print()
    print(f"command      {command}")
    print(f"store        {args.db}: {_disk_mb(args.db):,.0f} MB on disk")
    print(f"events       {n_events:,} in {n_docs:,} documents")
    print(
        f"dyad rows    {dyad_rows:,} read ({dyad_rows / max(n_events, 1):.1%} of the store) "
        f"for {args.focal} against {', '.join(args.poles)}"
    )
    print(f"align output {plain['rows']:,} rows (freq={args.freq})")
    print(
        f"base RSS     {plain['base_rss_mb']:,.0f} MB after imports; launcher {_rss_mb():,.0f} MB"
    )
    print(f"machine      {cores} cores, load average {load_1:.1f} (1 min) {load_15:.1f} (15 min)")
    print(f"times        median of {args.repeat} runs (fastest-slowest)")
    print()
    width = max(len(r[0]) for r in rows)
    print(f"{'phase':<{width}}  {'time':>8}")
    for name, took, note in rows:
        print(f"{name:<{width}}  {took}  {note}".rstrip())
    if generated:
        print(
            f"\n{generated['dyad_rows_planted']:,} focal-pole events were planted; the rest "
            "of the dyad rows are background events, bloc members' among them."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
