"""One real event reported many times is one story.

Fifty articles on one summit give fifty coded events: the same two actors, the same kind of
event, within a day or two. Counted as fifty pieces of evidence they would swamp everything
else in their period and make every interval too narrow. This module groups the reports of
one event into a *story*, the unit that :mod:`equipoise.analysis.align` counts and resamples
and :mod:`equipoise.analysis.changepoints` ranks as a driver.

Definitions
-----------
Story
    Reports (event rows) are one story when they have the same group (the pole they are
    counted for), the same actor pair (``source``, ``target``; unordered for a symmetric
    event and for CAMEO root 04, consultations, which both sides do: "A met B" and "B met
    A" are one meeting), the same CAMEO root, similar codes, and dates within
    ``STORY_DAYS`` (2) days of the story's first report. Reports of one code are taken in
    date order: a story starts at a report and takes every later one within two days;
    the next report starts the next story. Anchoring on the first report, not the
    previous one, keeps a daily run of routine events (a consultation every day for a
    month) from chaining into one story.
Similar codes
    With trailing zeros after the root dropped (``040`` is ``04``, ``1000`` is ``10``),
    and ``043`` host a visit read as ``042`` make a visit, its mirror image, codes are
    grouped as written; a story of a general code that another code of the key extends
    (``04`` against ``042``) then joins the story of such a code begun nearest to it,
    within two days, if there is one. So a general code matches its specific ones, and
    two specific codes only when equal (``0431`` and ``0432`` do not). Sentence tokens
    are not compared: alignment reads no sentences from the store (GDELT keeps a URL
    there), and a story must be the same in every analysis so that drivers reproduce
    the series.
Lead report
    The report that stands for the story (its direction, code, quad class, Goldstein
    weight and date): the first report flagged ``is_root`` (GDELT's IsRootEvent: the event
    of the article's lead paragraph) when the column is there, else the earliest (then by
    code, document and sentence offset). Repeated GDELT rows (one event extracted from
    several articles, with the same actors, code and day) are merged by the same rule.
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

__all__ = ["STORY_DAYS", "Stories", "find_stories", "mark_stories", "similar_codes"]

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


def _codes(events: pd.DataFrame, name: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted integer codes of a column's values at ``rows`` and the distinct values, as
    text ("" for missing)."""
    if name not in events.columns:
        return np.zeros(rows.size, dtype=np.int64), np.array([""], dtype=object)
    codes, uniques = pd.factorize(events[name].iloc[rows], sort=True)
    values = pd.Series(np.asarray(uniques, dtype=object)).astype(str).str.strip()
    values = np.append(values.to_numpy(dtype=object), "")
    return np.where(codes < 0, len(values) - 1, codes).astype(np.int64), values


def _documents(events: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows' documents: sorted integer codes of their ids, as :func:`_codes` gives them,
    and a number per row that ids equal once stripped share (-1 for a blank or missing id).

    There are about as many ids as rows: they are compared as text in bulk, without a
    Python string for each."""
    if "doc_id" not in events.columns:
        return np.zeros(rows.size, dtype=np.int64), np.full(rows.size, -1, dtype=np.int64)
    ids = events["doc_id"].iloc[rows]
    packed = _packed_documents(ids)
    if packed is not None:
        return packed
    codes, uniques = pd.factorize(ids, sort=True)
    text = pd.Series(uniques).astype(str).str.strip()
    same = np.where(text.eq("").to_numpy(dtype=bool), -1, pd.factorize(text)[0])
    doc = np.where(codes < 0, len(uniques), codes).astype(np.int64)
    return doc, np.append(same, -1).astype(np.int64)[doc]


# Ids up to this many bytes long are sorted as rows of bytes packed into integers.
_WIDEST_PACKED = 64


def _packed_documents(ids: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_documents` for ids held as Arrow text, found by sorting the ids as rows of
    bytes packed into 64-bit integers (hashing and sorting millions of strings is several
    times slower); None for ids that are not Arrow text, are longer than
    ``_WIDEST_PACKED`` bytes, hold a NUL byte (padding is NUL) or have whitespace around
    them (their stripped forms would have to be compared)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    if not hasattr(ids.array, "__arrow_array__"):
        return None
    text = pa.array(ids.array)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return None
    text = text.cast(pa.large_string())
    valid = np.flatnonzero(text.is_valid().to_numpy(zero_copy_only=False))
    if not valid.size:
        return None
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset:
                                                                text.offset + len(text) + 1]
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8) if text.buffers()[2] else \
        np.zeros(0, dtype=np.uint8)
    lengths = np.diff(offsets)[valid]
    starts = offsets[:-1][valid]
    width = -(-int(lengths.max(initial=0)) // 8) * 8 or 8
    if width > _WIDEST_PACKED or (data[offsets[0]:offsets[-1]] == 0).any():
        return None
    # Whitespace around an id begins or ends it with a byte outside printable ASCII: only
    # ids that do are looked at closely.
    named = lengths > 0
    edges = np.concatenate([data[starts[named]], data[starts[named] + lengths[named] - 1]])
    if ((edges < 0x21) | (edges > 0x7E)).any() and pc.any(
            pc.not_equal(text, pc.utf8_trim_whitespace(text))).as_py():
        return None
    if valid.size == len(text) and (lengths == lengths[0]).all():
        # ids of one length (hashes, numbers of fixed width): the bytes are the rows
        rows = np.zeros((valid.size, width), dtype=np.uint8)
        rows[:, :lengths[0]] = data[offsets[0]:offsets[-1]].reshape(valid.size, -1)
    else:
        rows = np.zeros((valid.size, width), dtype=np.uint8)
        for j in range(width):  # a column of bytes at a time: no index array per byte
            has = lengths > j
            rows[has, j] = data[starts[has] + j]
    words = rows.view(">u8").astype(np.uint64)
    # Only ranks are wanted, so the order of equal ids does not matter: a quick sort on
    # the first eight bytes, then the ids that share them sorted on all of theirs.
    order = np.argsort(words[:, 0])
    head = words[order, 0]
    same_head = head[1:] == head[:-1]
    tied = np.flatnonzero(np.r_[same_head, False] | np.r_[False, same_head])
    if tied.size and words.shape[1] > 1:
        sub = order[tied]
        order[tied] = sub[np.lexsort(tuple(words[sub, j]
                                           for j in reversed(range(words.shape[1]))))]
    ordered = words[order]
    first = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    rank = np.cumsum(first) - 1
    codes = np.full(len(text), int(rank[-1]) + 1, dtype=np.int64)
    codes[valid[order]] = rank
    # Without whitespace around ids, ids equal once stripped are equal; "" is blank.
    blank = np.ones(len(text), dtype=bool)
    blank[valid[named]] = False
    return codes, np.where(blank, -1, codes)


def _ranks(*columns: np.ndarray) -> np.ndarray:
    """One integer per distinct combination of the columns, in sorted order."""
    parts = [np.asarray(c, dtype=np.int64) for c in columns]
    parts = [c - c.min() for c in parts]
    sizes = [int(c.max()) + 1 for c in parts]
    if float(np.prod([float(k) for k in sizes])) < 2.0**62:
        combined = np.zeros(parts[0].size, dtype=np.int64)
        for c, k in zip(parts, sizes, strict=True):  # mixed radix: the order is kept
            combined = combined * k + c
        return pd.factorize(combined, sort=True)[0].astype(np.int64)
    stacked = np.column_stack(parts)
    return np.unique(stacked, axis=0, return_inverse=True)[1].ravel().astype(np.int64)


def _packed(keys: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """Integer keys ordered as ``np.lexsort`` takes them (the last sorts first), packed into
    as few as their ranges allow, the first sorting first: the same order, fewer keys."""
    packed: list[np.ndarray] = []
    current: np.ndarray | None = None
    room = 0
    for key in reversed(keys):
        key = np.asarray(key, dtype=np.int64)
        low, high = (int(key.min()), int(key.max())) if key.size else (0, 0)
        size = high - low + 1
        if current is not None and room * size < 2**62:
            current, room = current * size + (key - low), room * size
            continue
        if current is not None:
            packed.append(current)
        # A key of too wide a range is kept as it is and packed with nothing.
        current, room = (key - low, size) if size < 2**62 else (key, 2**62)
    if current is not None:
        packed.append(current)
    return packed


def _leads(story: np.ndarray, opened: int, keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """Whether each row leads its story: first by ``keys`` (the last key first, as
    ``np.lexsort`` takes them), then by position. Each key narrows the rows still in the
    running to those at their story's least value: no sort of all the rows."""
    n = story.size
    running = np.arange(n)
    for key in _packed(keys):
        in_story = story[running]
        value = key[running]
        least = np.full(opened, np.iinfo(np.int64).max)
        np.minimum.at(least, in_story, value)
        running = running[value == least[in_story]]
    first = np.full(opened, n)
    np.minimum.at(first, story[running], running)
    lead = np.zeros(n, dtype=bool)
    lead[first[first < n]] = True
    return lead


def _anchored(cls: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Story numbers of rows sorted by (class, day): a story starts at a report and takes
    every report of its class dated at most ``STORY_DAYS`` days after it."""
    n = cls.size
    span = int(day.max() - day.min()) + STORY_DAYS + 1
    place = cls * span + (day - day.min())
    after = np.searchsorted(place, place + STORY_DAYS, side="right")  # first row outside
    anchor = np.zeros(n, dtype=bool)
    frontier = np.flatnonzero(np.r_[True, cls[1:] != cls[:-1]])
    while frontier.size:  # follow each class's chain of first reports, all classes at once
        anchor[frontier] = True
        step = after[frontier]
        inside = step < n
        frontier = step[inside][cls[step[inside]] == cls[frontier[inside]]]
    return np.cumsum(anchor) - 1


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
    actors, actor_names = _codes(events, "source", rows)
    target, target_names = _codes(events, "target", rows)
    # One numbering for both sides, so that a pair can be put in order.
    names = np.union1d(actor_names, target_names)
    source = np.searchsorted(names, actor_names)[actors]
    target = np.searchsorted(names, target_names)[target]
    cameo, cameo_names = _codes(events, "cameo", rows)
    general_names = np.array([_general(MIRRORED.get(c, c)) for c in cameo_names], dtype=object)
    root_names = np.array([c[:2] for c in cameo_names], dtype=object)
    root = pd.factorize(root_names, sort=True)[0][cameo]
    symmetric = np.zeros(n, dtype=bool)
    if "symmetric" in events.columns:
        symmetric = events["symmetric"].iloc[rows].fillna(False).astype(bool).to_numpy(bool)
    # A meeting has no direction: one article says A met B, the next B met A.
    mutual = symmetric | (root_names[cameo] == MUTUAL_ROOT)
    swap = mutual & (target < source)
    low, high = np.where(swap, target, source), np.where(swap, source, target)
    dated = days != NO_DAY
    lone = np.where(dated, -1, np.arange(n))  # an undated report is a story alone
    key = _ranks(pd.factorize(np.asarray(group), sort=True)[0], low, high, root, lone)
    general_id = pd.factorize(general_names, sort=True)[0]
    cls = _ranks(key, general_id[cameo])

    order = np.lexsort((days, cls))
    story = np.empty(n, dtype=np.int64)
    story[order] = _anchored(cls[order], np.where(dated, days, 0)[order])
    opened = int(story.max()) + 1
    story = _join_general(story, opened, key, general_names[cameo], np.where(dated, days, 0))
    story = pd.factorize(story, sort=True)[0].astype(np.int64)
    opened = int(story.max()) + 1

    # The lead: a root event first, then the earliest, then by code, document and offset.
    is_root = np.zeros(n, dtype=bool)
    if "is_root" in events.columns:
        is_root = events["is_root"].iloc[rows].fillna(False).astype(bool).to_numpy(bool)
    doc, same_doc = _documents(events, rows)
    start = np.zeros(n, dtype=np.int64)
    if "sent_start" in events.columns:
        start = pd.to_numeric(events["sent_start"].iloc[rows], errors="coerce").fillna(-1)
        start = start.to_numpy(dtype=np.int64)
    lead = _leads(story, opened, (start, doc, cameo, days, ~is_root))
    n_reports = np.bincount(story, minlength=opened).astype(np.int64)
    return Stories(story, lead, n_reports, _units(story, same_doc, opened))


def _join_general(story: np.ndarray, opened: int, key: np.ndarray, general: np.ndarray,
                  days: np.ndarray) -> np.ndarray:
    """Stories of a general code (``04``) joined to the nearest story of a more specific
    code it matches (``042``) in the same key, begun within ``STORY_DAYS`` days of it."""
    first = np.full(opened, np.iinfo(np.int64).max)
    np.minimum.at(first, story, days)
    at = np.zeros(opened, dtype=np.int64)
    at[story] = np.arange(story.size)
    story_key, story_code = key[at], np.asarray(general[at], dtype=object)
    # Which code of a key extends which, worked out once per distinct (key, code) pair:
    # there are far fewer of those than stories.
    code_no, names = pd.factorize(story_code)
    n_names = max(len(names), 1)
    pair, distinct = pd.factorize(story_key.astype(np.int64) * n_names + code_no)
    pair_code = np.asarray(names, dtype=object)[distinct % n_names]
    in_key: dict[int, list[int]] = {}
    for q, k in enumerate((distinct // n_names).tolist()):
        in_key.setdefault(k, []).append(q)
    # (specific, wider): pairs of one key whose code extends the other's
    extends = [(q, r) for qs in in_key.values() for q in qs for r in qs
               if q != r and pair_code[q].startswith(pair_code[r])]
    if not extends:
        return story
    specific, wider = (np.array(side, dtype=np.int64) for side in zip(*extends, strict=True))
    is_wide = np.isin(pair, wider)
    # Each specific story offers itself to every wider code of its key that it extends.
    by_pair = np.argsort(pair, kind="stable")
    bounds = np.searchsorted(pair[by_pair], np.arange(len(distinct) + 1))
    offering = np.concatenate([by_pair[bounds[q]:bounds[q + 1]] for q in specific])
    table = pd.DataFrame({"story": np.arange(opened), "key": story_key, "code": story_code,
                          "day": first})
    offered = pd.DataFrame({
        "key": story_key[offering], "day": first[offering], "target": offering,
        "code": np.repeat(pair_code[wider], bounds[specific + 1] - bounds[specific]),
    })[["key", "code", "day", "target"]]
    wide = table[is_wide]
    joined = pd.merge_asof(wide.sort_values(["day", "story"]), offered.sort_values(
        ["day", "target"]), on="day", by=["key", "code"], direction="nearest",
        tolerance=STORY_DAYS)
    into = np.arange(opened)
    hit = joined["target"].notna()
    into[joined.loc[hit, "story"].to_numpy(dtype=np.int64)] = joined.loc[hit, "target"]
    for _ in range(4):  # codes nest at most four deep (04, 043, 0431)
        into = into[into]
    return into[story]


def _units(story: np.ndarray, doc: np.ndarray, n_stories: int) -> np.ndarray:
    """Connected groups of stories that share a document (see the module docstring);
    ``doc`` numbers each row's document, -1 for none."""
    named = doc >= 0
    if not named.any():
        return np.arange(n_stories, dtype=np.int64)
    doc_id = pd.factorize(doc[named])[0]
    graph = coo_matrix(
        (np.ones(int(named.sum())), (story[named], n_stories + doc_id)),
        shape=(n_stories + int(doc_id.max()) + 1,) * 2,
    )
    _, labels = connected_components(graph, directed=False)
    return pd.factorize(labels[:n_stories])[0].astype(np.int64)


def mark_stories(dyads: pd.DataFrame) -> pd.DataFrame:
    """The dyad events of :func:`equipoise.analysis.align.dyad_events` with their stories:
    ``story`` (numbered among these rows, per pole), ``n_reports`` (reports in it) and
    ``lead`` (the report that stands for it)."""
    if dyads.empty:
        return dyads.assign(story=pd.Series(dtype="int64"), n_reports=pd.Series(dtype="int64"),
                            lead=pd.Series(dtype=bool))
    from equipoise.reference.periods import day_numbers

    group = dyads["pole"].to_numpy(dtype=object) if "pole" in dyads.columns else \
        np.zeros(len(dyads), dtype=object)
    found = find_stories(dyads, np.arange(len(dyads)), group, day_numbers(dyads["event_date"]))
    return dyads.assign(story=found.story, n_reports=found.n_reports[found.story],
                        lead=found.lead)
