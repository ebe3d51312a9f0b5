"""The coder's measured error, used to correct event counts and to widen intervals.

A coder misses events and mistakes some for others, and not evenly: it may find verbal
cooperation more often than verbal conflict, which pushes every score toward cooperation.
:class:`CodingError` holds what an evaluation against hand-coded news measured (the JSON
of ``equipoise evaluate --format json``): for each quad class the coder predicts, how its
predictions split over the true classes (including "no such event"), and for each true
class, how many of its events the coder found at all.

From these, the expected true count of quad ``g`` in a cell whose predicted counts are
``n`` is

    C_g = (sum over p of n_p * share[p, g]) / found[g]

where ``share[p, g]`` is the share of quad-``p`` predictions that are truly quad ``g`` and
``found[g]`` the share of true quad-``g`` events the coder found with any quad. Drawing
``share`` (Dirichlet) and ``found`` (Beta) from their posteriors under a Jeffreys prior,
once per bootstrap replicate, carries the uncertainty of the evaluation itself into the
intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from equipoise.errors import InvalidQueryError

__all__ = ["QUADS", "CodingError", "sign_stability"]

QUADS = (1, 2, 3, 4)
_PRIOR = 0.5  # Jeffreys: half a count in every cell


@dataclass(frozen=True)
class CodingError:
    """Counts from an evaluation. ``predicted[p - 1, g]`` counts predictions of quad ``p``
    whose true class is ``g`` (0: no such event, else the quad); ``found[g - 1]`` and
    ``missed[g - 1]`` count the true events of quad ``g`` the coder found with any quad and
    did not find."""

    predicted: np.ndarray  # shape (4, 5)
    found: np.ndarray  # shape (4,)
    missed: np.ndarray  # shape (4,)

    @classmethod
    def from_evaluation(cls, report: Mapping) -> CodingError:
        """Read the JSON of ``equipoise evaluate --format json``."""
        try:
            per_quad = {int(q["quad"]): q for q in report["per_quad"]}
            confusion = {int(g): {int(p): int(n) for p, n in row.items()}
                         for g, row in report.get("quad_confusion", {}).items()}
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidQueryError(
                "not an evaluation report: expected the JSON of "
                f"'equipoise evaluate --format json' ({exc})") from exc
        predicted = np.zeros((4, 5))
        found = np.zeros(4)
        missed = np.zeros(4)
        for q in QUADS:
            row = per_quad.get(q, {"tp": 0, "fp": 0, "fn": 0})
            tp, fp, fn = int(row["tp"]), int(row["fp"]), int(row["fn"])
            wrong_in = sum(confusion.get(g, {}).get(q, 0) for g in QUADS if g != q)
            wrong_out = sum(n for p, n in confusion.get(q, {}).items() if p != q)
            predicted[q - 1, q] = tp
            for g in QUADS:
                if g != q:
                    predicted[q - 1, g] = confusion.get(g, {}).get(q, 0)
            predicted[q - 1, 0] = max(fp - wrong_in, 0)
            found[q - 1] = tp + wrong_out
            missed[q - 1] = max(fn - wrong_out, 0)
        return cls(predicted, found, missed)

    def rates(self, rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``share`` (4 x 5, rows sum to 1) and ``found`` (4,): the posterior means, or
        one draw from the posterior when ``rng`` is given."""
        alpha = self.predicted + _PRIOR
        a, b = self.found + _PRIOR, self.missed + _PRIOR
        if rng is None:
            return alpha / alpha.sum(axis=1, keepdims=True), a / (a + b)
        share = np.vstack([rng.dirichlet(row) for row in alpha])
        return share, rng.beta(a, b)

    def correct(self, counts: np.ndarray, rng: np.random.Generator | None = None
                ) -> np.ndarray:
        """Expected true counts per quad for predicted ``counts`` (last axis: quads 1-4)."""
        counts = np.asarray(counts, dtype=float)
        if counts.shape[-1] != 4:
            raise ValueError("counts need one column per quad class (4)")
        share, found = self.rates(rng)
        return (counts @ share[:, 1:]) / found

    def summary(self) -> dict:
        """Precision and recall per quad as the evaluation measured them, for reports."""
        share, found = self.rates()
        return {str(q): {"precision": round(float(share[q - 1, q]), 4),
                         "found": round(float(found[q - 1]), 4)} for q in QUADS}


def sign_stability(point: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Share of draws (last axis) whose sign agrees with the point value; NaN where the
    point value is NaN or zero."""
    point = np.asarray(point, dtype=float)
    draws = np.asarray(draws, dtype=float)
    sign = np.sign(point)[..., None]
    valid = ~np.isnan(draws)
    agree = (np.sign(draws) == sign) & valid
    n = valid.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = agree.sum(axis=-1) / n
    out = np.where((np.sign(point) == 0) | np.isnan(point) | (n == 0), np.nan, out)
    return out
