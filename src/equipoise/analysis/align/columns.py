"""The options align knows and the columns of its tables."""

from __future__ import annotations

from equipoise.reference.quads import QUAD_COLUMNS

WEIGHTS: tuple[str, ...] = ("count", "goldstein", "plover", "mentions", "sources", "reports")
# Weights that count an event as many times as the dataset saw it (GDELT's NumMentions,
# NumSources), with the value of "count"; an event without the figure counts once. A story
# weighs the sum over its reports, so "reports" (no column: 1 a report) counts its reports.
MULTIPLIED = {"mentions": "num_mentions", "sources": "num_sources", "reports": "n_reports"}
UNITS: tuple[str, ...] = ("story", "event")
DIRECTIONS: tuple[str, ...] = ("out", "in", "both")
STATUS_OK = "ok"
STATUS_INSUFFICIENT = "insufficient data"

OUT_COLUMNS: tuple[str, ...] = ("out_events", *(f"out_{c}" for c in QUAD_COLUMNS))
IN_COLUMNS: tuple[str, ...] = ("in_events", *(f"in_{c}" for c in QUAD_COLUMNS))
ALIGN_COLUMNS: list[str] = [
    "period",
    "period_start",
    "pole",
    "n_events",
    "n_stories",
    *QUAD_COLUMNS,
    "goldstein_mean",
    "net_coop",
    "tilt",
]
# After ALIGN_COLUMNS, in this order; INTERVAL_COLUMNS only when ``ci`` is set.
DETAIL_COLUMNS: list[str] = [
    *OUT_COLUMNS,
    *IN_COLUMNS,
    "joint_events",
    "duplication",
    "goldstein_sum",
    "n_scored",
    "score_sum",
    "score",
    "mean_se",
    "share",
    "volume",
    "salience",
]
INTERVAL_COLUMNS: list[str] = [
    "net_coop_lo",
    "net_coop_hi",
    "score_lo",
    "score_hi",
    "tilt_lo",
    "tilt_hi",
]
# Only with a coding error (align's ``coding_error``), before ``status``.
CORRECTED_COLUMNS: list[str] = ["score_uncorrected", "tilt_stability"]
SUMMARY_COLUMNS: list[str] = [
    "pole",
    "n_periods",
    "n_events",
    *QUAD_COLUMNS,
    "goldstein_mean",
    "net_coop",
    "score",
    "tilt",
    "first_half_events",
    "second_half_events",
    "first_half_tilt",
    "second_half_tilt",
    "tilt_change",
]
EQUIDISTANCE_COLUMNS: list[str] = [
    "period",
    "period_start",
    "n_poles",
    "n_poles_with_data",
    "equidistance",
    "equidistance_raw",
    "status",
]



def _columns(ci: float | None, corrected: bool = False) -> list[str]:
    return [*ALIGN_COLUMNS, *DETAIL_COLUMNS, *(INTERVAL_COLUMNS if ci else []),
            *(CORRECTED_COLUMNS if corrected else []), "status"]
