"""equipoise: which way a state leans between rival powers, from news text and event data.

The Python API mirrors the command line and returns pandas DataFrames::

    import equipoise
    table = equipoise.align("AZE", ["TUR", "RUS", "IRN"], db="baku.duckdb", ci=0.9)
    points, drivers = equipoise.changepoints("AZE", ["TUR", "RUS"], db="baku.duckdb")

A :class:`equipoise.Query` holds one question, checked once, for any of them::

    query = equipoise.Query("AZE", ["TUR", "RUS"], start="2020-01-01", freq="quarter")
    table = equipoise.align(query, db="baku.duckdb")

:func:`equipoise.analyse` answers it whole, from one read: an
:class:`~equipoise.analysis.result.Analysis` with the table and the options and notes it
was measured with, equidistance, summary, verdict, events and change points::

    result = equipoise.analyse(query, db="baku.duckdb")
    result.alignment.implausible_dates, result.verdict, result.changepoints.points

Names load on first use, so ``import equipoise`` stays fast and does not load spaCy.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "align": "equipoise.api",
    "analyse": "equipoise.api",
    "measure": "equipoise.api",
    "changepoints": "equipoise.api",
    "load_events": "equipoise.api",
    "places": "equipoise.api",
    "Query": "equipoise.analysis.query",
    "Coder": "equipoise.coding.coder",
    "Store": "equipoise.store",
    "Document": "equipoise.records",
    "Event": "equipoise.records",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'equipoise' has no attribute {name!r}")
