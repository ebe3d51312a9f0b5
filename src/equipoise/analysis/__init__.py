"""Analytics over coded events: pure functions from DataFrames to tables and typed results."""

from equipoise.analysis.align import (
    align,
    dyad_events,
    equidistance,
    measure,
    summarise,
    summary,
    verdict,
)
from equipoise.analysis.places import places
from equipoise.analysis.result import Alignment, Analysis, ChangePoints, Summary

__all__ = [
    "Alignment",
    "Analysis",
    "ChangePoints",
    "Summary",
    "align",
    "dyad_events",
    "equidistance",
    "measure",
    "places",
    "summarise",
    "summary",
    "verdict",
]
