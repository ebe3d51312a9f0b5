"""Where events took place: dyad events with coordinates, counted by place and quad class.

Only imported records carry a place (GDELT, ICEWS, POLECAT and ACLED give coordinates;
coded news does not), so the table is empty for a store of coded documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from equipoise.reference.quads import QUAD_COLUMNS

# Events at coordinates equal to this many decimals (about 1 km) are one place.
DECIMALS = 2
PLACE_COLUMNS = ("latitude", "longitude", "place", "n_events", *QUAD_COLUMNS, "quad")
# What names one event in an event table where it may appear once per pole it counts for.
_EVENT_KEY = ("doc_id", "sent_start", "source", "target", "cameo", "event_date")


@dataclass(frozen=True)
class Places:
    """The table of :func:`places` (``table``), with the number of events it was drawn
    from (``events``, each once) and of those with coordinates (``located``)."""

    table: pd.DataFrame
    events: int
    located: int


def places(events: pd.DataFrame) -> pd.DataFrame:
    """The table of :func:`locate`: one row per place."""
    return locate(events).table


def locate(events: pd.DataFrame) -> Places:
    """One row per place: its coordinates, its name (the one most of its events give),
    the number of events there, their counts by quad class, and the quad class most of
    them have (the lowest on a tie). Most events first.

    ``events`` is an event table with ``latitude``, ``longitude`` and ``quad`` (and
    ``place_name`` when known), such as :func:`equipoise.api.load_events` returns; an
    event listed once per pole counts once. Events without both coordinates are left out;
    the result counts the events (``events``) and those placed (``located``).
    """
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PLACE_COLUMNS})
    frame = events
    key = [c for c in _EVENT_KEY if c in frame.columns]
    if key and len(frame):
        frame = frame.drop_duplicates(subset=key)
    if frame.empty or not {"latitude", "longitude", "quad"} <= set(frame.columns):
        return Places(empty, len(frame), 0)
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    located = lat.notna() & lon.notna()
    if not located.any():
        return Places(empty, len(frame), 0)
    names = frame["place_name"] if "place_name" in frame.columns else pd.Series(None, frame.index)
    table = pd.DataFrame({
        "latitude": lat[located].round(DECIMALS),
        "longitude": lon[located].round(DECIMALS),
        "place": names[located].astype(object).where(names[located].notna(), ""),
        "quad": pd.to_numeric(frame.loc[located, "quad"], errors="coerce"),
    })  # fmt: skip
    at = ["latitude", "longitude"]
    sizes = table.groupby(at).size()
    counts = (
        table.groupby(at)["quad"].value_counts().unstack(fill_value=0)
        .reindex(index=sizes.index, columns=range(1, len(QUAD_COLUMNS) + 1), fill_value=0)
    )  # fmt: skip
    counts.columns = list(QUAD_COLUMNS)
    result = counts.astype(int)
    result.insert(0, "n_events", sizes)
    # The lowest quad class of the most events; none when no event has a class.
    main = counts.to_numpy().argmax(axis=1) + 1
    result["quad"] = pd.Series(main, index=counts.index).where(counts.sum(axis=1) > 0).astype(
        "Int64")
    # The name most of a place's events give (alphabetically first on a tie).
    named = table[table["place"] != ""].groupby([*at, "place"]).size().rename("n").reset_index()
    named = named.sort_values(["n", "place"], ascending=[False, True], kind="stable")
    names = named.drop_duplicates(at).set_index(at)["place"]
    result.insert(0, "place", names.reindex(result.index).fillna(""))
    result = result.reset_index()[list(PLACE_COLUMNS)]
    result = result.sort_values(["n_events", "place"], ascending=[False, True],
                                kind="stable").reset_index(drop=True)  # fmt: skip
    return Places(result, len(frame), int(located.sum()))
