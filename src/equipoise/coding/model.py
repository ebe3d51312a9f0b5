"""The learned layer: a multinomial logistic model over candidate features.

Classes are 0 (no event) and the quad classes 1-4. The rules' events stand unless the
model gives them less than ``keep_threshold``; a pair the rules left alone becomes an event
when the model's probability of *some* event reaches ``threshold``, with the likeliest quad
of 1-4. The model is a JSON file of feature names and weights (figures, no text), written by
:func:`fit` and read by :meth:`PairModel.load`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from equipoise.errors import BadInputError

N_CLASSES = 5
FORMAT = "equipoise-pair-model/1"


class ModelError(BadInputError, ValueError):
    """A model file that cannot be read."""


@dataclass(slots=True)
class PairModel:
    """Weights over named features; ``weights[0]`` is the bias row."""

    features: list[str]
    weights: np.ndarray  # (len(features) + 1, N_CLASSES)
    threshold: float = 0.5
    keep_threshold: float = 0.0
    default_codes: dict[int, str] = field(default_factory=dict)  # quad -> CAMEO code
    meta: dict = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {f: i + 1 for i, f in enumerate(self.features)}

    def digest(self) -> str:
        """A short fingerprint of the weights: part of the coder's version."""
        blob = json.dumps(self.to_json(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:10]

    def probabilities(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities, one row per candidate."""
        if not rows:
            return np.zeros((0, N_CLASSES))
        # a few candidates at a time: summing weight rows beats building a sparse matrix
        index, weights = self._index, self.weights
        scores = np.empty((len(rows), N_CLASSES))
        for n, row in enumerate(rows):
            cols = {0} | {j for f in row if (j := index.get(f)) is not None}
            scores[n] = weights[list(cols)].sum(axis=0)
        return _softmax(scores)

    # -- files -------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "format": FORMAT, "threshold": self.threshold,
            "keep_threshold": self.keep_threshold, "meta": self.meta,
            "default_codes": {str(k): v for k, v in sorted(self.default_codes.items())},
            "bias": [round(float(x), 6) for x in self.weights[0]],
            "weights": {f: [round(float(x), 6) for x in self.weights[i + 1]]
                        for i, f in enumerate(self.features)},
        }

    def save(self, path: str | Path) -> None:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> PairModel:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path}: not a readable model file ({exc})") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ModelError(f"{path}: not an equipoise model (format {FORMAT} expected)")
        try:
            names = list(raw["weights"])
            weights = np.array([raw["bias"]] + [raw["weights"][f] for f in names], dtype=float)
            if weights.shape != (len(names) + 1, N_CLASSES) or not np.isfinite(weights).all():
                raise ValueError("weights of the wrong shape or not finite")
            return cls(names, weights, float(raw["threshold"]),
                       float(raw.get("keep_threshold", 0.0)),
                       {int(k): str(v) for k, v in raw.get("default_codes", {}).items()},
                       dict(raw.get("meta", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{path}: malformed model ({exc})") from None

    @classmethod
    def default(cls) -> PairModel:
        """The model that ships with the package."""
        with resources.as_file(resources.files("equipoise") / "data" / "model" /
                               "pairs.json") as path:
            return cls.load(path)


def fit(rows: Sequence[Sequence[str]], labels: Sequence[int],
        weights: Sequence[float] | None = None, *, l2: float = 1.0, min_count: int = 2,
        threshold: float = 0.5, max_iter: int = 300) -> PairModel:
    """Fit the model by L-BFGS on the L2-penalised log loss. Deterministic.

    Parameters
    ----------
    rows : the feature strings of each candidate.
    labels : 0 for no event, else the quad class 1-4.
    weights : per-candidate weight of the loss (default 1).
    l2 : strength of the penalty on the weights (not on the bias).
    min_count : features seen on fewer candidates are left out.
    threshold : stored in the model; see :class:`PairModel`.
    """
    counts = Counter(f for row in rows for f in set(row))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i + 1 for i, f in enumerate(names)}
    x = _matrix(rows, index)
    y = np.asarray(labels, dtype=int)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    onehot = np.zeros((len(y), N_CLASSES))
    onehot[np.arange(len(y)), y] = 1.0
    d = x.shape[1]
    penalty = np.full((d, 1), l2)
    penalty[0] = 0.0
    xt = x.T.tocsr()

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        theta = flat.reshape(d, N_CLASSES)
        scores = x @ theta
        scores -= scores.max(axis=1, keepdims=True)
        logz = np.log(np.exp(scores).sum(axis=1, keepdims=True))
        logp = scores - logz
        value = -(w * (onehot * logp).sum(axis=1)).sum() + 0.5 * (penalty * theta**2).sum()
        grad = xt @ ((np.exp(logp) - onehot) * w[:, None]) + penalty * theta
        return float(value), grad.ravel()

    start = np.zeros(d * N_CLASSES)
    result = optimize.minimize(loss, start, jac=True, method="L-BFGS-B",
                               options={"maxiter": max_iter})
    theta = result.x.reshape(d, N_CLASSES)
    return PairModel(names, theta, threshold)


def _matrix(rows: Sequence[Sequence[str]], index: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    cols: list[int] = []
    for row in rows:
        seen = {0}
        cols.append(0)  # the bias column
        for f in row:
            j = index.get(f)
            if j is not None and j not in seen:
                seen.add(j)
                cols.append(j)
        indptr.append(len(cols))
    data = np.ones(len(cols))
    return sparse.csr_matrix((data, cols, indptr), shape=(len(rows), len(index) + 1))


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
