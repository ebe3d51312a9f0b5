"""The page assembled and rendered from its parts, and written to a file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from equipoise.analysis import equidistance as equidistance_table
from equipoise.analysis import summarise, verdict
from equipoise.analysis.changepoints import MIN_PERIODS
from equipoise.analysis.query import Query
from equipoise.analysis.result import Alignment, Analysis, ChangePoints, as_alignment
from equipoise.outputs import specs
from equipoise.outputs.charts import pole_colours
from equipoise.outputs.report.changes import _change_points, _points_table
from equipoise.outputs.report.coverage import _given_coverage, _report_coverage
from equipoise.outputs.report.downloads import _downloads
from equipoise.outputs.report.events import _event_rows, _in_range, _period_ranges
from equipoise.outputs.report.figures import _dyad_counts, _static_chart, _time_charts
from equipoise.outputs.report.methods import JUDGEMENT_COLUMNS, _judgements, _method
from equipoise.outputs.report.overview import _headline, _kpis, _pole_cards
from equipoise.outputs.report.places import _place_map
from equipoise.outputs.report.safety import chart_script, embed_json
from equipoise.outputs.report.text import _join, _slug
from equipoise.outputs.report.un_panel import _un_panel
from equipoise.outputs.report.words import FREQ_WORDS, QUADS


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("equipoise.outputs", "templates"),
        autoescape=True,  # the template ends in .j2, so switch it on explicitly
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_analysis(
    result: Analysis,
    title: str | None = None,
    coverage: dict | None = None,
    *,
    max_events: int | None = None,
    un_measure: str = "pi",
    judgements: pd.DataFrame | None = None,
) -> str:
    """:func:`render_report` of an :class:`~equipoise.analysis.result.Analysis` (read with
    its event listing): every table and sentence of the page is the analysis's own."""
    measured = result.alignment
    if result.events is None:
        raise ValueError("a report lists the events: analyse with the listing")
    return render_report(measured, result.events, str(measured.focal), list(measured.poles),
                         title, coverage, max_events=max_events,
                         equidistance=result.equidistance, changepoints=result.changepoints,
                         un_votes=result.un_votes, un_issues=result.un_issues,
                         un_measure=un_measure,
                         judgements=judgements)


def render_report(
    aligned: Alignment | pd.DataFrame,
    dyads: pd.DataFrame,
    focal: str,
    poles: list[str],
    title: str | None = None,
    coverage: dict | None = None,
    *,
    max_events: int | None = None,
    equidistance: pd.DataFrame | None = None,
    changepoints: ChangePoints | tuple[pd.DataFrame, pd.DataFrame] | pd.DataFrame | None = None,
    un_votes: pd.DataFrame | None = None,
    un_measure: str = "pi",
    judgements: pd.DataFrame | None = None,
    un_issues: Sequence[str] = (),
) -> str:
    """Render the alignment report as one self-contained HTML document.

    ``aligned`` is the output of :func:`equipoise.analysis.measure` (with ``ci=0.9``
    its ``tilt_lo``/``tilt_hi`` become bands; a bare table of
    :func:`equipoise.analysis.align` is read with the default options), ``dyads`` that of
    :func:`equipoise.analysis.dyad_events` (events outside the aligned range or
    poles are left out; ``source_text``/``target_text`` columns, when present,
    mark the actors in each sentence). ``coverage`` is shown as a key/value list
    (e.g. the store's documents, datasets, date span). ``max_events`` caps the
    event table, keeping the events with the largest absolute Goldstein score.

    ``equidistance`` is :func:`equipoise.analysis.equidistance` of ``aligned``
    (computed here when None). ``changepoints`` is the result of
    :func:`equipoise.analysis.changepoints.find_changepoints` (or its ``(points,
    drivers)`` pair, of :func:`~equipoise.analysis.changepoints.changepoints`), run with the same
    focal, poles and ``freq`` (a points table alone marks the breaks without
    drivers); without it the report has no change points. ``un_votes`` is an
    :func:`equipoise.analysis.unvotes.agreement_matrix` table; the UN panel
    appears only when it is given and not empty, and charts ``un_measure``
    (``pi``, Scott's, or ``kappa``, Cohen's) as its chance-corrected measure;
    ``un_issues`` names the UN issues the votes were chosen by.
    ``judgements`` is the store's table of the analyst's judgements
    (:meth:`~equipoise.store.db.EventReader.judgements`), listed in the methods.

    The alignment, equidistance and change point tables, the judgements and the
    events the filters keep can be downloaded from the page as CSV or JSON; their
    data are embedded, so this works offline. Nothing heavy is computed here.
    """
    # Codes read as every front end reads them: upper-cased, each pole once.
    question = Query.build(focal, poles)
    focal, poles = question.focal, list(question.poles)
    colours = pole_colours(list(poles))
    measured = as_alignment(aligned)
    if measured.table.empty:
        measured = replace(measured, table=measured.table.iloc[0:0].copy(), poles=tuple(poles))
    else:
        measured = measured.with_table(
            measured.table[measured.table["pole"].isin(poles)].copy())
    aligned = measured.table
    ci_text = specs.ci_text(measured.ci)

    overview = summarise(measured)
    table = overview.table
    periods = specs.periods(aligned)
    if equidistance is None and len(poles) > 1 and len(aligned):
        equidistance = equidistance_table(measured)
    points, drivers, status = _points_table(changepoints)
    listed = _change_points(points, drivers, poles, colours)
    in_range = _in_range(dyads, poles, measured.start, measured.end)
    events = _event_rows(in_range, max_events)
    n_total = 0 if in_range is None else len(in_range)

    charts = _time_charts(aligned, equidistance, focal, poles, colours, points, measured.ci)
    place_map = _place_map(in_range, focal, poles)
    counts = specs.quad_counts(aligned, poles) if len(aligned) else None
    heat = specs.heat_map(focal, poles, colours,
                          counts if counts is not None else _dyad_counts(in_range, poles))
    if heat:
        charts["heat"] = heat
    un, un_table = _un_panel(un_votes, focal, poles, colours, un_measure, un_issues)
    for chart in un["charts"] if un else []:
        charts[chart["id"]] = chart["spec"]

    meta = [("Focal", focal), ("Poles", ", ".join(poles))]
    if periods:
        span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
        word = FREQ_WORDS.get(measured.freq or "")
        meta.append(("Period", f"{span}, {word}" if word else span))
    meta.append(("Events", f"{int(table['n_events'].sum()) if len(table) else 0:,}"))
    datasets = sorted({e["dataset"] for e in events if e["dataset"]})
    downloads = _downloads(
        alignment=aligned,
        equidistance=equidistance,
        changepoints=points,
        judgements=None if judgements is None else judgements[
            [c for c in JUDGEMENT_COLUMNS if c in judgements.columns]],
    )
    data = {
        "focal": focal,
        "poles": poles,
        "colours": colours,
        "slug": _slug(focal, poles),
        "periodRanges": _period_ranges(periods, measured.freq),
        "quads": {str(q): name for q, (name, _) in QUADS.items()},
        "charts": charts,
        "events": events,
        "eventsTotal": n_total,
        "datasets": datasets,
        "tables": downloads,
    }
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title or f"{focal} between {_join(poles)}",
            focal=focal,
            poles=poles,
            meta=meta,
            headline=_headline(table, focal, poles),
            verdict=verdict(measured, focal=focal),
            kpis=_kpis(aligned, table, equidistance, periods, listed, poles, ci_text),
            charts=charts,
            has_bands="tilt_lo" in aligned.columns and aligned["tilt_lo"].notna().any(),
            ci_text=ci_text,
            changepoints=listed,
            changepoints_given=points is not None,
            changepoints_status=status,
            changepoints_min=MIN_PERIODS,
            drivers_given=drivers is not None,
            cards=_pole_cards(overview, colours),
            un=un,
            un_table=un_table,
            events=events,
            n_events_total=n_total,
            datasets=datasets,
            quads={q: name for q, (name, _) in QUADS.items()},
            coverage_report=_report_coverage(in_range, len(events), measured),
            coverage_store=_given_coverage(coverage),
            method=_method(measured, ci_text),
            generated=dt.date.today().isoformat(),
            script=Markup(chart_script()),
            data=embed_json(data),
            fallback=_static_chart(charts["tilt"]) if "tilt" in charts else None,
            place_map=place_map,
            downloads=set(downloads),
            judgements=_judgements(judgements),
        )
    )


def write_report(path: str | os.PathLike[str], html: str) -> Path:
    """Write ``html`` to ``path`` atomically: a temporary file, then ``os.replace``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
