"""Where a state stands between two poles on the UN ideal-point scale, session by session.

Input is the table of :func:`equipoise.sources.idealpoints.read_ideal_points`
(``country``, ``session``, ``ideal_point`` and the quantiles ``q5``, ``q95``).

Relative position
-----------------
For a focal state F and poles P1, P2 with ideal points x in one session::

    position = (x_F - x_P1) / (x_P2 - x_P1)

0 is P1's point, 1 is P2's, 0.5 half-way; below 0 F lies beyond P1, above 1
beyond P2. Dividing by the poles' own gap puts every session on the poles'
own scale, whose spread differs between sessions. Where the gap is small the
ratio is unstable, and the interval shows it.

A position still changes when a pole moves and F does not: F is then, in
fact, elsewhere relative to the poles. To say who moved, the change from the
session before is split in two exact parts::

    change_focal = (x_F(t) - x_F(t-1)) / gap(t)
    change_poles = position(t) - position(t-1) - change_focal

the first what F's own move did on this session's scale, the second what the
poles' moves did. Both are missing for a session whose predecessor has no row.

Intervals
---------
``interval="bounds"`` (the default) is conservative: the lowest and highest
position over every combination of x_F, x_P1 and x_P2 inside their own 5-95%
quantile ranges (a ratio of this kind takes its extremes at the corners of
that box, so the eight corners suffice). When the poles' ranges overlap the
gap can be zero and the interval is unbounded (``-inf``, ``inf``).
``interval="normal"`` draws each of the three points from a normal with the
ideal point as mean and ``(q95 - q5) / (2 * 1.645)`` as standard deviation,
independently, and gives the 5% and 95% quantiles of the drawn positions.
Both treat the three estimates as independent, which the joint model behind
them does not promise.

One dimension
-------------
The ideal points lie on a single dimension (broadly, for or against the
US-led order). States that differ on other things can sit at one point:
Turkey, Russia and Iran are not separated by it, and a position between them
means little. Take the figure for poles far apart on the scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equipoise.analysis.query import actor_code
from equipoise.errors import InvalidQueryError

__all__ = ["ONE_DIMENSION_WARNING", "POSITION_COLUMNS", "Positions", "positions",
           "relative_position"]

POSITION_COLUMNS: list[str] = [
    "session", "year", "focal", "pole1", "pole2", "x_focal", "x_pole1", "x_pole2", "gap",
    "distance1", "distance2", "position", "position_lo", "position_hi", "change_focal",
    "change_poles",
]  # fmt: skip

ONE_DIMENSION_WARNING = (
    "UN ideal points lie on one dimension: states that differ on others (Turkey, Russia "
    "and Iran, for one) can sit close together on it, and a position between poles that "
    "close says little."
)
INTERVALS = ("bounds", "normal")
Z95 = 1.6448536269514722  # the standard normal's 95% quantile
_NEEDED = ("country", "session", "ideal_point", "q5", "q95")


def _one_state(points: pd.DataFrame, code: str) -> pd.DataFrame:
    rows = points[points["country"] == code]
    if rows.empty:
        raise InvalidQueryError(f"no ideal points for {code!r} (countries are ISO alpha-3 codes)")
    twice = rows["session"].duplicated()
    if twice.any():
        session = int(rows["session"][twice].iloc[0])
        raise InvalidQueryError(
            f"{code} stands for more than one state in session {session} "
            f"(COW codes {sorted(rows[rows['session'] == session]['ccode'].tolist())})"
            if "ccode" in rows.columns else f"{code} has two rows in session {session}"
        )
    return rows.set_index("session")[["ideal_point", "q5", "q95"]]


def _bounds(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Range of (f - a) / (b - a) over the box lo <= (f, a, b) <= hi, one box per row."""
    corners = []
    for f in (0, 1):
        for a in (0, 1):
            for b in (0, 1):
                xf = (lo[:, 0], hi[:, 0])[f]
                xa = (lo[:, 1], hi[:, 1])[a]
                xb = (lo[:, 2], hi[:, 2])[b]
                with np.errstate(divide="ignore", invalid="ignore"):
                    corners.append((xf - xa) / (xb - xa))
    values = np.column_stack(corners)
    low, high = values.min(axis=1), values.max(axis=1)
    # The gap's range spans zero: the ratio runs off to both infinities.
    crosses = (lo[:, 2] - hi[:, 1] <= 0) & (hi[:, 2] - lo[:, 1] >= 0)
    low[crosses], high[crosses] = -np.inf, np.inf
    return low, high


def _normal(
    mean: np.ndarray, lo: np.ndarray, hi: np.ndarray, draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    sd = (hi - lo) / (2 * Z95)
    x = rng.normal(mean[:, :, None], sd[:, :, None], size=(*mean.shape, draws))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x[:, 0] - x[:, 1]) / (x[:, 2] - x[:, 1])
    return np.quantile(ratio, 0.05, axis=1), np.quantile(ratio, 0.95, axis=1)


@dataclass(frozen=True)
class Positions:
    """The table of :func:`relative_position`, the kind of ``interval`` it holds, and
    the ``warning`` every reading of it needs (one dimension cannot tell some states
    apart)."""

    table: pd.DataFrame
    interval: str
    warning: str = ""


def relative_position(points: pd.DataFrame, focal: str, pole1: str, pole2: str, *,
                      interval: str = "bounds", draws: int = 10_000, seed: int = 0
                      ) -> pd.DataFrame:
    """The table of :func:`positions`, with the same arguments."""
    return positions(points, focal, pole1, pole2, interval=interval, draws=draws,
                     seed=seed).table


def positions(
    points: pd.DataFrame,
    focal: str,
    pole1: str,
    pole2: str,
    *,
    interval: str = "bounds",
    draws: int = 10_000,
    seed: int = 0,
) -> Positions:
    """Position of ``focal`` between ``pole1`` (0) and ``pole2`` (1), one row per session
    all three have an ideal point for.

    Columns :data:`POSITION_COLUMNS`: the three ideal points, ``gap`` = x_P2 - x_P1,
    ``distance1``/``distance2`` = |x_F - x_P|, ``position`` and its interval
    ``position_lo``/``position_hi`` (``interval`` "bounds" or "normal", see the module
    docstring; ``draws`` and ``seed`` are for "normal"), and ``change_focal`` and
    ``change_poles``, the change from the session before split into F's own move and
    the poles' moves. The result also says which ``interval`` and carries the
    one-dimension ``warning``.
    """
    if interval not in INTERVALS:
        raise InvalidQueryError(f"interval must be 'bounds' or 'normal', not {interval!r}")
    if draws < 1:
        raise InvalidQueryError("draws must be at least 1")
    missing = [name for name in _NEEDED if name not in points.columns]
    if missing:
        raise ValueError(f"ideal points lack column(s) {', '.join(missing)}")
    codes = [actor_code(code, field) for code, field in
             ((focal, "focal"), (pole1, "pole1"), (pole2, "pole2"))]
    if len(set(codes)) < 3:
        raise InvalidQueryError(f"focal and the two poles must differ, got {', '.join(codes)}")
    parts = [_one_state(points, code) for code in codes]
    both = (
        parts[0]
        .join(parts[1].add_suffix("_1"), how="inner")
        .join(parts[2].add_suffix("_2"), how="inner")
        .sort_index()
    )
    mean = both[["ideal_point", "ideal_point_1", "ideal_point_2"]].to_numpy(dtype=np.float64)
    lo = both[["q5", "q5_1", "q5_2"]].to_numpy(dtype=np.float64)
    hi = both[["q95", "q95_1", "q95_2"]].to_numpy(dtype=np.float64)
    gap = mean[:, 2] - mean[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        position = (mean[:, 0] - mean[:, 1]) / gap
    if interval == "bounds":
        low, high = _bounds(lo, hi)
    else:
        low, high = _normal(mean, lo, hi, draws, seed)
    sessions = both.index.to_numpy(dtype=np.int64)
    # Changes only between consecutive sessions: a gap in the rows breaks the chain.
    follows = np.r_[False, np.diff(sessions) == 1]
    change = np.full(len(sessions), np.nan)
    change_focal = np.full(len(sessions), np.nan)
    if follows.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            change[1:] = np.diff(position)
            change_focal[1:] = np.diff(mean[:, 0]) / gap[1:]
        change[~follows], change_focal[~follows] = np.nan, np.nan
    out = pd.DataFrame(
        {
            "session": sessions,
            "year": sessions + 1945,
            "focal": codes[0],
            "pole1": codes[1],
            "pole2": codes[2],
            "x_focal": mean[:, 0],
            "x_pole1": mean[:, 1],
            "x_pole2": mean[:, 2],
            "gap": gap,
            "distance1": np.abs(mean[:, 0] - mean[:, 1]),
            "distance2": np.abs(mean[:, 0] - mean[:, 2]),
            "position": position,
            "position_lo": low,
            "position_hi": high,
            "change_focal": change_focal,
            "change_poles": change - change_focal,
        }
    )
    return Positions(out, interval, ONE_DIMENSION_WARNING)
