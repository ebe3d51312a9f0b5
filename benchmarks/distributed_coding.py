"""Coding in partitions: one process, then one and two local Dask workers, on the same corpus.

usage: python benchmarks/distributed_coding.py [--copies 20] [--partition-size 48]
           [--workers 1,2] [--repeat 2] [--machines 1,4,16,64] [--cores 8]
           [--articles 1000000]

The corpus is the bundled sample (24 articles) repeated --copies times, each copy with a
distinct line at its end so every copy is a new document. Each setting codes the whole
corpus --repeat times, the fastest run kept, into a fresh Parquet dataset
(``equipoise.distributed.run``, as ``equipoise code DOCS --parquet DIR [--workers N]``):

* ``one process, coder loop``: the plain coder over the documents (``Coder.code_each``, what
  ``equipoise code DOCS -o FILE`` runs), and ``one process, --parquet``: the same partitions
  coded in this process and written to Parquet;
* ``N local workers``: a LocalCluster of N single-threaded worker processes on 127.0.0.1;
* ``2 processes, half each``: two plain processes (no Dask) coding half the corpus each,
  what two processes get done on this machine: the ceiling for two workers.

Reported per setting: the start (cluster, and each worker building its coder), the run,
documents/s and sentences/s, the CPU seconds the coding took (summed over workers) and the
cores that makes busy, the speed-up over one worker and over the loop, and each process's
peak resident memory. The machine's spare capacity is measured first (two processes
spinning), since a shared machine gives two workers less than two cores.

The projection for N machines of --cores workers each takes a worker's measured rate per CPU
second (what a core of its own gives), the scheduler's cost per task (measured with empty
tasks) and the driving process's time to write one partition, the ceiling once the workers
outrun it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per worker, as the cluster's


def corpus(copies: int):
    from equipoise.records import Document
    from equipoise.reference.data import data_file
    from equipoise.sources import iter_documents

    with resources.as_file(data_file("sample")) as folder:
        sample = [item.document for item in iter_documents([folder]) if item.document]
    return [Document.from_text(f"{doc.text}\n\nCopy {i}.", published=doc.published,
                               title=doc.title, ref=f"{doc.ref}#{i}")
            for i in range(copies) for doc in sample]


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM: ru_maxrss of a process started
    by another carries over the starter's peak, which a worker's would then report."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _spin(n: int = 6_000_000) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def parallel_capacity() -> float:
    """How many cores two busy processes get here now: 2.0 on an idle two-core machine."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [10, 10]))
        alone = pool.submit(_spin).result()
        started = time.perf_counter()
        list(pool.map(_spin, [6_000_000, 6_000_000]))
        both = time.perf_counter() - started
    return 2 * alone / both


_shard_coder = None


def _build_shard_coder(spec) -> None:
    global _shard_coder
    _shard_coder = spec.build()


def _pause(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _code_shard(docs) -> tuple[float, int]:
    """Code ``docs`` with this process's coder: (CPU seconds, events)."""
    started = time.thread_time()
    events = sum(len(c.events) for c in _shard_coder.code_each(docs))
    return time.thread_time() - started, events


def two_shards(spec, docs, repeat: int) -> tuple[float, float, float, int, list[float]]:
    """Two plain processes coding half the documents each, no Dask: what two processes
    get done on this machine, the ceiling for two workers. The best of ``repeat`` runs:
    (start s, run s, CPU s, events, peak MB per process)."""
    from concurrent.futures import ProcessPoolExecutor

    half = len(docs) // 2
    started = time.perf_counter()
    with ProcessPoolExecutor(2, initializer=_build_shard_coder, initargs=(spec,)) as pool:
        # Both processes up and their coders built before the clock starts.
        while len(set(pool.map(_pause, [0.5, 0.5]))) < 2:
            pass
        up = time.perf_counter() - started
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            done = list(pool.map(_code_shard, [docs[:half], docs[half:]]))
            runs.append((time.perf_counter() - t0, sum(c for c, _ in done),
                         sum(e for _, e in done)))
        rss = list(dict(pool.map(_peak_rss_mb_of, [0.3, 0.3])).values())
    run_s, cpu_s, events = min(runs)
    return up, run_s, cpu_s, events, rss


def _peak_rss_mb_of(pause: float) -> tuple[int, float]:
    time.sleep(pause)
    return os.getpid(), _peak_rss_mb()


def _warm(spec) -> int:
    from equipoise import distributed

    distributed.worker_coder(spec)
    return os.getpid()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--partition-size", type=int, default=48)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--repeat", type=int, default=2, help="runs per setting; the best kept")
    parser.add_argument("--machines", default="1,4,16,64")
    parser.add_argument("--cores", type=int, default=8, help="workers per machine projected")
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    from equipoise import distributed
    from equipoise.coding.coder import coder_version
    from equipoise.coding.model import PairModel
    from equipoise.coding.text import split_sentences
    from equipoise.store.parquet import ParquetDataset

    docs = corpus(args.copies)
    n_docs = len(docs)
    n_sent = sum(sum(1 for _ in split_sentences(d.text)) for d in docs)
    spec = distributed.CoderSpec(model=PairModel.default())
    version = coder_version(spec.model)
    capacity = parallel_capacity()
    print(f"corpus: {n_docs} documents, {n_sent:,} sentences; partitions of "
          f"{args.partition_size}; {os.cpu_count()} cores, of which two busy processes get "
          f"{capacity:.2f} now (load average {os.getloadavg()[0]:.1f})")

    def best(executor) -> tuple[float, float, int]:
        """The fastest of --repeat runs into a fresh dataset: (seconds, CPU s, events)."""
        runs = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                summary = distributed.run(
                    docs, spec, executor, size=args.partition_size,
                    dataset=ParquetDataset(Path(tmp), version, args.partition_size))
            runs.append((summary.seconds, summary.cpu_seconds, summary.events))
        return min(runs)

    # setting, start s (cluster and coder), run s, coding CPU s, peak MB per process
    rows: list[tuple[str, float, float, float, list[float]]] = []
    t0 = time.perf_counter()
    coder = distributed.worker_coder(spec)
    loaded = time.perf_counter() - t0
    loops = []
    for _ in range(args.repeat):
        started, cpu = time.perf_counter(), time.thread_time()
        n_events = sum(len(c.events) for c in coder.code_each(docs))
        loops.append((time.perf_counter() - started, time.thread_time() - cpu))
    run_s, cpu_s = min(loops)
    rows.append(("one process, coder loop", loaded, run_s, cpu_s, [_peak_rss_mb()]))
    run_s, cpu_s, events = best(distributed.InProcess())
    assert events == n_events, (events, n_events)
    rows.append(("one process, --parquet", loaded, run_s, cpu_s, [_peak_rss_mb()]))
    write_cost = _write_cost(spec, docs, args.partition_size, version)

    overhead = None
    for n in [int(w) for w in args.workers.split(",")]:
        t0 = time.perf_counter()
        executor = distributed.OnDask(workers=n)
        try:
            # Each worker builds its coder in the thread that runs its tasks.
            addresses = list(executor.client.nthreads())
            executor.client.gather([executor.client.submit(_warm, spec, workers=[a], pure=False)
                                    for a in addresses])
            up = time.perf_counter() - t0
            run_s, cpu_s, events = best(executor)
            assert events == n_events, (events, n_events)
            rss = list(executor.client.run(_peak_rss_mb).values())
            if overhead is None:
                overhead = _task_overhead(executor.client)
        finally:
            executor.close()
        rows.append((f"{n} local worker{'s' if n > 1 else ''}", up, run_s, cpu_s, rss))
    up, run_s, cpu_s, events, rss = two_shards(spec, docs, args.repeat)
    assert events == n_events, (events, n_events)
    rows.append(("2 processes, half each", up, run_s, cpu_s, rss))

    loop = rows[0][2]
    one = next((r for r in rows if r[0].startswith("1 local")), None)
    print()
    print(f"{'setting':<26}{'start s':>8}{'run s':>7}{'docs/s':>8}{'sent/s':>8}{'CPU s':>7}"
          f"{'cores':>6}{'vs 1 worker':>12}{'vs loop':>8}  peak MB per process")
    for name, up, run_s, cpu_s, rss in rows:
        vs_one = f"{one[2] / run_s:.2f}x" if one else "n/a"
        print(f"{name:<26}{up:>8.1f}{run_s:>7.1f}{n_docs / run_s:>8.1f}{n_sent / run_s:>8.0f}"
              f"{cpu_s:>7.1f}{cpu_s / run_s:>6.2f}{vs_one:>12}{loop / run_s:>7.2f}x  "
              + ", ".join(f"{m:.0f}" for m in rss))
    two = next((r for r in rows if r[0] == "2 local workers"), None)
    if one and two:
        ceiling = one[2] / rows[-1][2]
        print(f"2 workers against 1: {one[2] / two[2]:.2f}x, where two plain processes "
              f"coding half the documents each get {ceiling:.2f}x on this machine now")
    # What a worker does on a core of its own: documents per CPU second of coding.
    rate = n_docs / (one[3] if one else rows[0][3])
    p = args.partition_size
    print()
    print(f"measured: a worker codes {rate:.1f} documents per CPU second "
          f"({rate * n_sent / n_docs:.0f} sentences); the scheduler's cost per task "
          f"{(overhead or 0) * 1000:.1f} ms; the driving process writes a partition of {p} "
          f"in {write_cost * 1000:.1f} ms")
    print(f"projection for {args.articles:,} articles like these, {args.cores} workers per "
          "machine, a core each:")
    print(f"{'machines':>9}{'workers':>9}{'docs/s':>10}{'hours':>8}  bound")
    for machines in [int(m) for m in args.machines.split(",")]:
        workers = machines * args.cores
        coding = workers * p / (p / rate + (overhead or 0))
        writing = p / write_cost if write_cost else float("inf")
        speed = min(coding, writing)
        bound = "workers" if coding <= writing else "driving process (writes)"
        print(f"{machines:>9}{workers:>9}{speed:>10.0f}{args.articles / speed / 3600:>8.1f}  "
              f"{bound}")
    return 0


def _write_cost(spec, docs, size, version) -> float:
    """CPU seconds the driving process spends writing one partition to Parquet."""
    from equipoise import distributed
    from equipoise.store.parquet import ParquetDataset

    part = next(distributed.partitions(docs, size))
    result = distributed.code_partition(spec, part)
    with tempfile.TemporaryDirectory() as tmp:
        dataset = ParquetDataset(Path(tmp), version, size)
        # CPU time: what the driving process spends on a core of its own, as for workers.
        started = time.process_time()
        for i in range(20):
            dataset.write_partition(f"{i:06d}-x", result.events, result.documents)
        return (time.process_time() - started) / 20


def _nothing(i: int) -> int:
    return i


def _task_overhead(client, n: int = 400) -> float:
    """Seconds per task of a round of empty tasks, submitted and gathered as a run does."""
    started = time.perf_counter()
    futures = client.map(_nothing, range(n), pure=False)
    client.gather(futures)
    return (time.perf_counter() - started) / n


if __name__ == "__main__":
    sys.exit(main())
