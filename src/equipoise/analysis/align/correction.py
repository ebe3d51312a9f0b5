"""Scores from quad counts corrected for the coder's measured error."""

from __future__ import annotations

import numpy as np

from equipoise.analysis.coding_error import CodingError
from equipoise.analysis.scoring import shrunk_scores

# Draws of the coder's error alone behind ``tilt_stability``.
_STABILITY_DRAWS = 200


def _corrected_scores(counts: np.ndarray, grid: tuple[int, int], k: float) -> np.ndarray:
    """Shrunken net cooperation of corrected quad counts (cells, 4), per cell."""
    value = counts[:, 0] + counts[:, 1] - counts[:, 2] - counts[:, 3]
    return shrunk_scores(value.reshape(grid), counts.sum(axis=1).reshape(grid),
                         k).reshape(-1)


def _corrected_replicates(counts: np.ndarray, error: CodingError, grid: tuple[int, int],
                          k: float, rng: np.random.Generator) -> np.ndarray:
    """Replicate scores (cells, B) from replicate quad counts (cells, 4, B), each
    replicate corrected with its own draw of the coder's error."""
    n_cells, _, n_boot = counts.shape
    out = np.empty((n_cells, n_boot))
    for b in range(n_boot):
        fixed = error.correct(counts[:, :, b], rng)
        value = fixed[:, 0] + fixed[:, 1] - fixed[:, 2] - fixed[:, 3]
        out[:, b] = shrunk_scores(value.reshape(grid), fixed.sum(axis=1).reshape(grid), k,
                                  empty=np.nan).reshape(-1)
    return out
