"""Which events are dyad events of a focal actor and poles: actors and blocs matched
once (:class:`DyadMatch`), mirrored symmetric rows dropped."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from equipoise.analysis.blocs import membership_mask
from equipoise.analysis.query import (
    Query,
)
from equipoise.reference.memberships import default_memberships
from equipoise.reference.periods import NO_DAY, day_numbers

# Columns that identify one event when a symmetric event was stored as two mirrored rows.
_SYMMETRIC_KEY = ("doc_id", "sent_start", "sent_end", "cameo", "event_date", "coder", "dataset")

# Direction codes of dyad rows.
_OUT, _IN, _BOTH = 0, 1, 2
_DIRECTION_NAMES = np.array(["out", "in", "both"], dtype=object)


def _flag(events: pd.DataFrame, column: str) -> np.ndarray:
    if column not in events.columns:
        return np.zeros(len(events), dtype=bool)
    return events[column].fillna(False).astype(bool).to_numpy(dtype=bool)



@lru_cache(maxsize=1)
def _default_bloc_codes() -> frozenset[str]:
    return frozenset(default_memberships()["bloc"].astype(str).str.upper())


def _bloc_codes(memberships: pd.DataFrame | None) -> frozenset[str]:
    if memberships is None:
        return _default_bloc_codes()
    return frozenset(memberships["bloc"].astype(str).str.upper())


class _Side:
    """Which events have a given actor on one side (``source`` or ``target``).

    Actor columns are factorized once, so matching a state is an integer compare;
    a bloc is matched with :func:`~equipoise.analysis.blocs.membership_mask` on a
    compact categorical copy of the columns.
    """

    def __init__(self, events, side, days, memberships, blocs) -> None:
        self.side = side
        self.n = len(events)
        self.days = days
        self.memberships = memberships
        self.blocs = blocs
        self.columns: dict[str, tuple[np.ndarray, pd.Index]] = {}
        for column in (side, f"{side}_country"):
            if column in events.columns:
                codes, uniques = pd.factorize(events[column])
                self.columns[column] = (codes, pd.Index(uniques))
        self._frame: pd.DataFrame | None = None
        # Masks already computed: a pole is matched for its dyads and again for its volume.
        self._matched: dict[str, np.ndarray] = {}

    def match(self, code: str) -> np.ndarray:
        found = self._matched.get(code)
        if found is not None:
            return found
        if code in self.blocs and self.columns:
            hit = self._bloc(code)
        else:
            hit = np.zeros(self.n, dtype=bool)
            for codes, uniques in self.columns.values():
                at = uniques.get_indexer([code])[0]
                if at >= 0:
                    hit |= codes == at
        hit.setflags(write=False)
        self._matched[code] = hit
        return hit

    def _bloc(self, code: str) -> np.ndarray:
        if self._frame is None:
            frame = {
                column: pd.Categorical.from_codes(codes, categories=uniques)
                for column, (codes, uniques) in self.columns.items()
            }
            frame["_day"] = self.days.astype("datetime64[D]").astype("datetime64[s]")
            self._frame = pd.DataFrame(frame)
        mask = membership_mask(self._frame, self.side, code, "_day", table=self.memberships)
        return mask.to_numpy(dtype=bool)


def _sides(events: pd.DataFrame, days: np.ndarray,
           memberships: pd.DataFrame | None) -> tuple[_Side, _Side]:
    blocs = _bloc_codes(memberships)
    return (_Side(events, "source", days, memberships, blocs),
            _Side(events, "target", days, memberships, blocs))


class DyadMatch:
    """The rows of ``events`` matched to actor codes, once for every reader of them.

    A table, its change points and its event listing all read the dyads of one frame:
    each actor (a state, or a bloc by its members on each date) is matched once here,
    and each set of dyads (focal actor, poles, poles kept apart) is indexed once.
    """

    def __init__(self, events: pd.DataFrame, memberships: pd.DataFrame | None = None) -> None:
        _require_actors(events)
        self.events = events
        self.memberships = memberships
        if "event_date" in events.columns:
            self.days = day_numbers(events["event_date"])
        else:
            self.days = np.full(len(events), NO_DAY, dtype=np.int64)
        self.sides = _sides(events, self.days, memberships)
        self._indexed: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def index(self, focal: str, poles: Sequence[str],
              apart: frozenset[tuple[str, str]] = frozenset()
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row positions, pole numbers and direction codes of the dyad events (see
        :func:`_dyad_index`)."""
        key = (focal, tuple(poles), apart)
        if key not in self._indexed:
            self._indexed[key] = _dyad_index(self.events, focal, list(poles), self.days,
                                             self.memberships, apart, self.sides)
        return self._indexed[key]


def _dyad_index(
    events: pd.DataFrame,
    focal: str,
    poles: list[str],
    days: np.ndarray,
    memberships: pd.DataFrame | None,
    apart: frozenset[tuple[str, str]] = frozenset(),
    sides: tuple[_Side, _Side] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row positions, pole numbers and direction codes of the dyad events.

    Pole by pole, rows in input order; mirrored copies of symmetric events dropped.
    ``apart`` holds ``(member, bloc)`` pairs of poles whose member's events are left
    out of the bloc. ``sides`` (source, target) are built here unless given.
    """
    source, target = sides or _sides(events, days, memberships)
    symmetric = _flag(events, "symmetric")
    from_focal = source.match(focal)
    to_focal = target.match(focal)

    rows, pole_of, direction = [], [], []
    for number, pole in enumerate(poles):
        out = from_focal & ~to_focal & target.match(pole)
        inbound = to_focal & ~from_focal & source.match(pole)
        for member in (m for m, bloc in apart if bloc == pole):
            out &= ~target.match(member)
            inbound &= ~source.match(member)
        hit = np.flatnonzero(out | inbound)
        rows.append(hit)
        pole_of.append(np.full(hit.size, number, dtype=np.int64))
        direction.append(np.where(symmetric[hit], _BOTH, np.where(out[hit], _OUT, _IN)))
    rows_a = np.concatenate(rows).astype(np.int64)
    pole_a = np.concatenate(pole_of)
    direction_a = np.concatenate(direction).astype(np.int8)
    keep = ~_mirrored_duplicate(events, rows_a, pole_a, direction_a)
    return rows_a[keep], pole_a[keep], direction_a[keep]


def _mirrored_duplicate(
    events: pd.DataFrame, rows: np.ndarray, pole: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """True for the second of two rows that are one symmetric event seen from each side."""
    duplicate = np.zeros(rows.size, dtype=bool)
    chosen = np.flatnonzero(direction == _BOTH)
    if chosen.size < 2:
        return duplicate
    subset = rows[chosen]
    keys: dict[str, np.ndarray] = {"_pole": pole[chosen]}
    for column in _SYMMETRIC_KEY:
        if column in events.columns:
            keys[column] = pd.factorize(events[column].iloc[subset], use_na_sentinel=False)[0]

    def side(name: str) -> tuple[np.ndarray, np.ndarray]:
        code = events[name].iloc[subset].to_numpy(dtype=object)
        sector_column = f"{name}_sector"
        if sector_column in events.columns:
            sector = events[sector_column].iloc[subset].fillna("").to_numpy(dtype=object)
        else:
            sector = np.full(subset.size, "", dtype=object)
        return code, sector

    (a_code, a_sector), (b_code, b_sector) = side("source"), side("target")
    codes = pd.factorize(np.concatenate([a_code, b_code]), use_na_sentinel=False)[0]
    sectors = pd.factorize(np.concatenate([a_sector, b_sector]), use_na_sentinel=False)[0]
    actor = codes.astype(np.int64) * (int(sectors.max()) + 1) + sectors
    a, b = actor[: subset.size], actor[subset.size :]
    keys["_low"], keys["_high"] = np.minimum(a, b), np.maximum(a, b)
    duplicate[chosen] = pd.DataFrame(keys).duplicated(keep="first").to_numpy()
    return duplicate



def _require_actors(events: pd.DataFrame) -> None:
    missing = [c for c in ("source", "target") if c not in events.columns]
    if missing:
        raise ValueError(f"events lack required column(s): {', '.join(missing)}")


def dyad_events(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    *,
    memberships: pd.DataFrame | None = None,
    match: DyadMatch | None = None,
) -> pd.DataFrame:
    """Events between ``focal`` and each pole, in either direction.

    Returns the matching rows with every input column plus ``pole`` and
    ``direction`` (``"out"`` focal -> pole, ``"in"`` pole -> focal, ``"both"`` for
    symmetric events, kept once). The focal actor and the poles may be states or
    blocs; a bloc stands for itself and for the states that were its members on
    the event date (``memberships`` defaults to the bundled table, see
    :func:`equipoise.reference.memberships.load_memberships`). An event that matches
    several poles appears once per pole. Rows are sorted by event date. ``match`` holds
    the rows already matched by another reader of ``events`` (:class:`DyadMatch`).
    """
    query = Query.build(focal, poles)
    focal, poles = query.focal, list(query.poles)
    if match is None:
        match = DyadMatch(events, memberships)
    elif match.events is not events:
        raise ValueError("the dyads were matched in other events")
    days = match.days
    rows, pole, direction = match.index(focal, poles)

    columns = [*events.columns, "pole", "direction"]
    if not rows.size:
        return events.iloc[0:0].assign(
            pole=pd.Series(dtype=object), direction=pd.Series(dtype=object)
        )[columns]
    order = np.arange(rows.size)
    if "event_date" in events.columns:
        when = days[rows]
        order = np.argsort(np.where(when == NO_DAY, np.iinfo(np.int64).max, when), kind="stable")
    result = events.iloc[rows[order]].reset_index(drop=True)
    result["pole"] = np.asarray(poles, dtype=object)[pole[order]]
    result["direction"] = _DIRECTION_NAMES[direction[order]]
    return result[columns]
