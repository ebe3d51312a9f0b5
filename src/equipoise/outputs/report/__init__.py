"""A single, self-contained HTML report on which way a focal state leans.

The file loads nothing: CSS and JavaScript are inline, and the charts are drawn
in the page by ``static/charts.js`` (the chart library the dashboard uses too)
from the chart specs of ``specs.py`` embedded as JSON, those the API serves. It
holds a headline verdict; tilt toward each pole over time with interval bands and
change points; the equidistance index; the change points with the documents that
drive them; a dyad by quad-class heat map; UN voting agreement when given; a
filterable table of the events with their sentences; a methods note and the data's
coverage.

News text is untrusted. Everything the server renders goes through Jinja's
autoescaping; the JSON block escapes ``<``, ``>`` and ``&`` so that no text can
close the script element; the page's script writes text with ``textContent``
only; and a document URL becomes a link only when it is plain http(s).

Modules
-------
:mod:`.page` assembles and renders the page (:func:`render_report`,
:func:`render_analysis`) and writes it (:func:`write_report`) from its parts:
:mod:`.overview` (headline, tiles, pole cards), :mod:`.figures` (the charts over time and
the heat map), :mod:`.changes` (the change point listing), :mod:`.un_panel` (UN votes),
:mod:`.places` (the map), :mod:`.events` (the event listing, :func:`highlight`),
:mod:`.coverage` and :mod:`.methods` (the notes), :mod:`.downloads` (the tables offered
as files). :mod:`.safety` holds what makes embedded text safe, :mod:`.text` the cells as
text and :mod:`.words` the page's words. Every public name is importable from here.
"""

from __future__ import annotations

from equipoise.outputs.report.events import highlight
from equipoise.outputs.report.methods import JUDGEMENT_COLUMNS
from equipoise.outputs.report.page import render_analysis, render_report, write_report
from equipoise.outputs.report.safety import chart_script, embed_json, safe_url
from equipoise.outputs.report.words import (
    DIRECTION_WORDS,
    DRIVER_EVENTS_SHOWN,
    FREQ_WORDS,
    LEAN_THRESHOLD,
    QUADS,
    WEIGHT_WORDS,
)

__all__ = ["chart_script", "embed_json", "render_analysis", "render_report", "safe_url",
           "write_report", "highlight", "DIRECTION_WORDS", "DRIVER_EVENTS_SHOWN", "FREQ_WORDS",
           "JUDGEMENT_COLUMNS", "LEAN_THRESHOLD", "QUADS", "WEIGHT_WORDS"]
