"""One real event reported many times is one story.

Fifty articles on one summit give fifty coded events: the same two actors, the same kind of
event, within a day or two. Counted as fifty pieces of evidence they would swamp everything
else in their period and make every interval too narrow. This module groups the reports of
one event into a *story*, the unit that :mod:`equipoise.analysis.align` counts and resamples
and :mod:`equipoise.analysis.changepoints` ranks as a driver.

Definitions
-----------
Story
    Reports (event rows) with the same group (the pole they are counted for), the same
    actor pair (``source``, ``target``; unordered for a symmetric event and for CAMEO
    root 04, consultations, which both sides do: "A met B" and "B met A" are one
    meeting), the same CAMEO root, similar codes and dates within ``STORY_DAYS`` (2) days of the story's first
    report. Reports are taken in date order; each joins the first open story of its key
    whose first report is at most two days earlier and which holds a similar code, or
    opens a new story. Anchoring on the first report, not the previous one, keeps a daily
    run of routine events (a consultation every day for a month) from chaining into one
    story.
Similar codes
    Two CAMEO codes are similar when, with trailing zeros after the root dropped (``040``
    is ``04``, ``1000`` is ``10``), one is a prefix of the other: a general code matches
    its specific ones (``040`` consult and ``043`` host a visit), two specific codes match
    only when equal (``0431`` and ``0432`` do not); ``043`` host a visit counts as
    ``042`` make a visit, its mirror image. Sentence tokens are not compared:
    alignment reads no sentences from the store (GDELT keeps a URL there), and a story must
    be the same in every analysis so that drivers reproduce the series.
Lead report
    The report that stands for the story (its direction, code, quad class, Goldstein
    weight and date): the first report flagged ``is_root`` (GDELT's IsRootEvent: the event
    of the article's lead paragraph) when the column is there, else the first in date
    order. Repeated GDELT rows (one event extracted from several articles, with the same
    actors, code and day) are merged by the same rule.
Reports
    ``n_reports`` is the number of reports in a story; ``n_events / n_stories`` of a cell is
    its duplication ratio.
Resampling unit
    Stories that share a document (an article reporting a visit and an agreement) are not
    independent: ``unit`` numbers the connected groups of stories linked by documents, the
    unit a bootstrap resamples. Reports without a ``doc_id`` link nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from equipoise.reference.periods import NO_DAY

__all__ = ["STORY_DAYS", "Stories", "find_stories", "similar_codes"]

STORY_DAYS = 2
# CAMEO 04 (consult: meet, visit, host, mediate) is done together: its reports match
# whichever side the article names first; "host a visit" is "make a visit" seen from
# the other side.
MUTUAL_ROOT = "04"
MIRRORED = {"043": "042"}


@dataclass(frozen=True)
class Stories:
    """Stories of the rows given, positions relative to those rows.

    ``story`` (per row) numbers the stories 0..S-1; ``lead`` (per row) marks the report
    that stands for its story; ``n_reports`` and ``unit`` are per story.
    """

    story: np.ndarray
    lead: np.ndarray
    n_reports: np.ndarray
    unit: np.ndarray

    @property
    def count(self) -> int:
        return int(self.n_reports.size)


def _general(code: str) -> str:
    """The code with trailing zeros after its two-digit root dropped."""
    code = code.strip()
    head, tail = code[:2], code[2:].rstrip("0")
    return head + tail


def similar_codes(a: str, b: str) -> bool:
    """Whether two CAMEO codes may report one event (see the module docstring)."""
    x, y = _general(a), _general(b)
    return x.startswith(y) or y.startswith(x)


def _column(events: pd.DataFrame, name: str, rows: np.ndarray) -> np.ndarray:
    if name not in events.columns:
        return np.full(rows.size, "", dtype=object)
    return events[name].iloc[rows].fillna("").astype(str).str.strip().to_numpy(dtype=object)


def find_stories(
    events: pd.DataFrame,
    rows: np.ndarray,
    group: np.ndarray,
    days: np.ndarray,
) -> Stories:
    """Stories among ``events.iloc[rows]``, never across two values of ``group``.

    ``days`` are the rows' day numbers (``NO_DAY`` for none: such a report is a story
    alone). The result does not depend on the order of the rows.
    """
    n = rows.size
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Stories(empty, np.zeros(0, dtype=bool), empty, empty)
    source, target = _column(events, "source", rows), _column(events, "target", rows)
    cameo = _column(events, "cameo", rows)
    symmetric = np.zeros(n, dtype=bool)
    if "symmetric" in events.columns:
        symmetric = events["symmetric"].iloc[rows].fillna(False).astype(bool).to_numpy(bool)
    root = np.array([c[:2] for c in cameo], dtype=object)
    # A meeting has no direction: one article says A met B, the next B met A.
    mutual = symmetric | (root == MUTUAL_ROOT)
    low = np.where(mutual & (target < source), target, source)
    high = np.where(mutual & (target < source), source, target)
    cameo = np.array([MIRRORED.get(c, c) for c in cameo], dtype=object)
    key = pd.MultiIndex.from_arrays([np.asarray(group), low, high, root, days == NO_DAY])
    key = key.factorize(sort=True)[0]
    is_root = np.zeros(n, dtype=bool)
    if "is_root" in events.columns:
        is_root = events["is_root"].iloc[rows].fillna(False).astype(bool).to_numpy(bool)
    doc = _column(events, "doc_id", rows)
    start = np.zeros(n, dtype=np.int64)
    if "sent_start" in events.columns:
        start = pd.to_numeric(events["sent_start"].iloc[rows], errors="coerce").fillna(-1)
        start = start.to_numpy(dtype=np.int64)
    # Order by value, not position, so that any order of the same rows gives the same stories.
    order = np.lexsort((start, pd.factorize(doc, sort=True)[0], ~is_root,
                        pd.factorize(cameo, sort=True)[0], days, key))

    story = np.empty(n, dtype=np.int64)
    general = {c: _general(c) for c in set(cameo.tolist())}
    keys, when, codes = key[order].tolist(), days[order].tolist(), cameo[order].tolist()
    opened = 0
    current = -1
    open_stories: list[tuple[int, int, set[str]]] = []  # (first day, story, general codes)
    for i, position in enumerate(order.tolist()):
        if keys[i] != current:
            current, open_stories = keys[i], []
        day, code = when[i], general[codes[i]]
        if day == NO_DAY:
            story[position] = opened
            opened += 1
            continue
        open_stories = [s for s in open_stories if day - s[0] <= STORY_DAYS]
        for _, number, seen in open_stories:
            if any(code.startswith(g) or g.startswith(code) for g in seen):
                story[position] = number
                seen.add(code)
                break
        else:
            story[position] = opened
            open_stories.append((day, opened, {code}))
            opened += 1

    # The lead: the first report of the story in the order above, a root event first.
    rank = np.empty(n, dtype=np.int64)
    lead_order = np.lexsort((np.arange(n), ~is_root[order], story[order]))
    rank[order[lead_order]] = np.arange(n)
    first = np.full(opened, n, dtype=np.int64)
    np.minimum.at(first, story, rank)
    lead = rank == first[story]
    n_reports = np.bincount(story, minlength=opened).astype(np.int64)
    return Stories(story, lead, n_reports, _units(story, doc, opened))


def _units(story: np.ndarray, doc: np.ndarray, n_stories: int) -> np.ndarray:
    """Connected groups of stories that share a document (see the module docstring)."""
    named = np.array([bool(d) for d in doc], dtype=bool)
    if not named.any():
        return np.arange(n_stories, dtype=np.int64)
    doc_id = pd.factorize(doc[named])[0]
    graph = coo_matrix(
        (np.ones(int(named.sum())), (story[named], n_stories + doc_id)),
        shape=(n_stories + int(doc_id.max()) + 1,) * 2,
    )
    _, labels = connected_components(graph, directed=False)
    return pd.factorize(labels[:n_stories])[0].astype(np.int64)
