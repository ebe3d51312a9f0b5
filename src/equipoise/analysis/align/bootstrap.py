"""Bootstrap over documents and stories: Poisson(1) replicate totals per cell, the
jackknife beside them and the widening of small samples."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Bootstrap statistics accumulated per (document, period, pole): all events, their
# coop (+1) / conflict (-1) balance, the events behind ``score`` and their values.
_N_ALL, _NET, _N_SCORED, _VALUE = range(4)
_SUM_NAMES = ("n_all", "net", "n_scored", "value")
# Bound on the size (elements) of the weight arrays of one block of bootstrap replicates.
_BLOCK_ELEMENTS = 4_000_000
# Distribution function of Poisson(1) at 0, 1, 2, ...: P(W <= j) = exp(-1) * sum(1 / i!).
_POISSON_ONE_CDF = np.cumsum(np.exp(-1.0) / np.cumprod(np.concatenate([[1.0], np.arange(1, 20)])))


def _document_units(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Resampling unit of each dyad row: its document; a row without ``doc_id`` is its own."""
    if "doc_id" not in events.columns:
        return np.arange(rows.size, dtype=np.int64)
    codes, uniques = pd.factorize(events["doc_id"].iloc[rows])
    blank = pd.Series(np.asarray(uniques, dtype=object)).astype(str).str.strip().eq("")
    alone = np.append(blank.to_numpy(dtype=bool), True)[codes]  # code -1 (missing) is alone
    units = codes.astype(np.int64)
    units[alone] = len(uniques) + np.arange(int(alone.sum()))
    return units


def _jackknife_sums(
    units: np.ndarray, cells: np.ndarray, stats: np.ndarray, n_cells: int,
    rng: np.random.Generator, groups: int = 20,
) -> np.ndarray:
    """Totals of ``stats`` per cell with one group of units left out, (n_cells, n_stats, G):
    units are dealt at random into ``groups`` groups (fewer with fewer units)."""
    # Number the units present densely, so that the groups do not depend on units of
    # events outside the dyads (a store read with and without pushdown agree).
    units = np.unique(units, return_inverse=True)[1].reshape(-1) if units.size else units
    n_units = int(units.max(initial=-1)) + 1
    g = max(1, min(groups, n_units))
    group_of_unit = rng.permutation(max(n_units, 1)) % g
    key = group_of_unit[units] * n_cells + cells if units.size else np.zeros(0, dtype=np.int64)
    n_stats = stats.shape[1]
    parts = np.stack(
        [np.bincount(key, weights=stats[:, j], minlength=g * n_cells) for j in range(n_stats)],
        axis=1,
    ).reshape(g, n_cells, n_stats)
    return (parts.sum(axis=0, keepdims=True) - parts).transpose(1, 2, 0)


def _widening(units: np.ndarray, cells: np.ndarray, n_cells: int) -> np.ndarray:
    """``sqrt(G / (G - 1))`` per cell, G its resampling units (1 below two units)."""
    groups = np.bincount(np.unique(units * n_cells + cells) % n_cells,
                         minlength=n_cells).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.where(groups >= 2, groups / (groups - 1.0), 1.0))


def _widened(replicates: np.ndarray, estimate: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Replicates (cells, B) moved away from each cell's estimate by ``factor``."""
    return estimate[:, None] + (replicates - estimate[:, None]) * factor[:, None]


def _poisson_weights(rates: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Poisson(rate) draws shaped (len(rates), size), as floats.

    Units of rate 1, nearly all of them, are drawn by inverting the Poisson(1)
    distribution function on uniform numbers, about twice as fast as the general
    sampler, which draws the rest.
    """
    weights = np.empty((rates.size, size))
    one = rates == 1.0
    if one.any():
        uniform = rng.random((int(one.sum()), size))
        weights[one] = np.searchsorted(_POISSON_ONE_CDF, uniform, side="right")
    if not one.all():
        weights[~one] = rng.poisson(rates[~one, None], size=(int((~one).sum()), size))
    return weights


def _segment_sums(
    weights: np.ndarray, stats: np.ndarray, starts: np.ndarray, out: np.ndarray
) -> None:
    """Add ``stats[rows].T @ weights[rows]`` of each segment of rows to ``out[segment]``."""
    if starts.size == 0:  # e.g. every document spans several cells: no single-cell groups
        return
    ends = np.append(starts[1:], len(stats))
    for segment, (first, last) in enumerate(zip(starts, ends, strict=True)):
        out[segment] += stats[first:last].T @ weights[first:last]


def _bootstrap_sums(
    units: np.ndarray,
    cells: np.ndarray,
    stats: np.ndarray,
    n_cells: int,
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Replicate totals of ``stats`` per cell, resampling units with Poisson(1) weights.

    ``units``, ``cells`` and ``stats`` (rows, n_stats) describe one row per event.
    Events are first summed per (unit, cell), so the work grows with the number of
    documents, not events. Units whose only (cell, totals) row is the same are
    exchangeable, and m independent Poisson(1) weights sum to one Poisson(m), so
    each such group is drawn once. Replicates are drawn in blocks that keep the
    weight arrays near ``_BLOCK_ELEMENTS`` elements. Returns (n_cells, n_stats, n_boot).
    """
    n_stats = stats.shape[1]
    out = np.zeros((n_cells, n_stats, n_boot))
    if units.size == 0:
        return out
    pairs, inverse = np.unique(units * n_cells + cells, return_inverse=True)
    inverse = inverse.ravel()
    sums = np.column_stack(
        [np.bincount(inverse, weights=stats[:, s], minlength=pairs.size) for s in range(n_stats)]
    )
    pair_cell = pairs % n_cells
    _, unit_of_pair = np.unique(pairs // n_cells, return_inverse=True)
    unit_of_pair = unit_of_pair.ravel()
    single = np.bincount(unit_of_pair)[unit_of_pair] == 1

    # Units with one row, grouped by (cell, totals): np.unique sorts the groups by cell.
    profiles = np.column_stack([pair_cell[single].astype(float), sums[single]])
    shapes, counts = np.empty((0, n_stats + 1)), np.empty(0, dtype=np.int64)
    if profiles.size:
        shapes, counts = np.unique(profiles, axis=0, return_counts=True)
    group_cell = shapes[:, 0].astype(np.int64)
    group_stats = np.ascontiguousarray(shapes[:, 1:])
    group_cells, group_starts = np.unique(group_cell, return_index=True)
    n_groups = shapes.shape[0]

    # Units with rows in several cells: one weight each, shared by their rows.
    _, multi_unit = np.unique(unit_of_pair[~single], return_inverse=True)
    multi_unit = multi_unit.ravel()
    order = np.argsort(pair_cell[~single], kind="stable")
    multi_unit, multi_cell = multi_unit[order], pair_cell[~single][order]
    multi_stats = np.ascontiguousarray(sums[~single][order])
    multi_cells, multi_starts = np.unique(multi_cell, return_index=True)

    rates = np.concatenate([counts.astype(float), np.ones(int(multi_unit.max(initial=-1)) + 1)])
    block = max(1, min(n_boot, _BLOCK_ELEMENTS // max(rates.size + multi_unit.size, 1)))
    for first in range(0, n_boot, block):
        size = min(block, n_boot - first)
        weights = _poisson_weights(rates, size, rng)
        part = np.zeros((n_cells, n_stats, size))
        totals = np.zeros((group_cells.size, n_stats, size))
        _segment_sums(weights[:n_groups], group_stats, group_starts, totals)
        part[group_cells] += totals
        if multi_unit.size:
            totals = np.zeros((multi_cells.size, n_stats, size))
            _segment_sums(weights[n_groups + multi_unit], multi_stats, multi_starts, totals)
            part[multi_cells] += totals
        out[:, :, first : first + size] = part
    return out
