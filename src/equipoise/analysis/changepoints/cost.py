"""The segmentation cost: weighted squared deviations from each segment's weighted mean,
and the gain of the best single split.
"""

from __future__ import annotations

import math

import numpy as np
import ruptures as rpt


class _JointL2(rpt.base.BaseCost):
    """Weighted squared deviations from each column's weighted segment mean, summed.

    ``fit`` takes values (n, m) and weights (n, m) side by side, as one (n, 2m) signal;
    a weight of 0 leaves a cell out. Prefix sums make the cost of any segment O(m).
    """

    model = "joint_weighted_l2"

    def __init__(self) -> None:
        self.signal: np.ndarray | None = None
        self.min_size = 1
        self._s0 = self._s1 = self._s2 = np.zeros((1, 1))

    def fit(self, signal: np.ndarray) -> _JointL2:
        self.signal = signal
        m = signal.shape[1] // 2
        y, w = signal[:, :m], signal[:, m:]
        zero = np.zeros((1, m))
        self._s0 = np.concatenate([zero, np.cumsum(w, axis=0)])
        self._s1 = np.concatenate([zero, np.cumsum(w * y, axis=0)])
        self._s2 = np.concatenate([zero, np.cumsum(w * y * y, axis=0)])
        return self

    def error(self, start: int, end: int) -> float:
        if end - start < self.min_size:
            raise rpt.exceptions.NotEnoughPoints
        s0 = self._s0[end] - self._s0[start]
        s1 = self._s1[end] - self._s1[start]
        s2 = self._s2[end] - self._s2[start]
        with np.errstate(divide="ignore", invalid="ignore"):
            cost = np.where(s0 > 0, s2 - s1 * s1 / np.where(s0 > 0, s0, 1.0), 0.0)
        return max(float(cost.sum()), 0.0)


def _split_gains(y: np.ndarray, w: np.ndarray, min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Best single split of each series: its gain in cost and where the second part starts.

    ``y`` and ``w`` are (..., n, m); the gain sums over the m columns.
    """
    n = y.shape[-2]
    zero = np.zeros((*y.shape[:-2], 1, y.shape[-1]))
    s0 = np.concatenate([zero, np.cumsum(w, axis=-2)], axis=-2)
    s1 = np.concatenate([zero, np.cumsum(w * y, axis=-2)], axis=-2)
    s2 = np.concatenate([zero, np.cumsum(w * y * y, axis=-2)], axis=-2)

    def cost(a0, a1, a2):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a0 > 0, a2 - a1 * a1 / np.where(a0 > 0, a0, 1.0), 0.0).sum(-1)

    cuts = np.arange(min_size, n - min_size + 1)
    if cuts.size == 0:
        return np.zeros(y.shape[:-2]), np.zeros(y.shape[:-2], dtype=np.int64)
    whole = cost(s0[..., -1, :], s1[..., -1, :], s2[..., -1, :])[..., None]
    left = cost(s0[..., cuts, :], s1[..., cuts, :], s2[..., cuts, :])
    right = cost(s0[..., -1:, :] - s0[..., cuts, :], s1[..., -1:, :] - s1[..., cuts, :],
                 s2[..., -1:, :] - s2[..., cuts, :])
    gains = whole - left - right
    best = gains.argmax(axis=-1)
    return np.take_along_axis(gains, best[..., None], -1)[..., 0], cuts[best]


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    return float((weights * values).sum() / total) if total > 0 else math.nan
