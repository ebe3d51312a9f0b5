"""Analytics over coded events: pure functions from DataFrames to DataFrames."""

from equipoise.analysis.align import align, dyad_events, equidistance, summary, verdict
from equipoise.analysis.places import places

__all__ = ["align", "dyad_events", "equidistance", "places", "summary", "verdict"]
