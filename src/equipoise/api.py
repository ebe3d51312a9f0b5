"""The Python API: the same operations as the command line, returning pandas DataFrames.

>>> import equipoise
>>> table = equipoise.align("AZE", ["TUR", "RUS", "IRN"], db="equipoise.duckdb")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from equipoise.analysis import align as _align
from equipoise.analysis import dyad_events
from equipoise.analysis.blocs import load_memberships
from equipoise.store import Store, resolve_db_path


def _dates(start, end) -> tuple[dt.date | None, dt.date | None]:
    def one(v):
        if v is None or isinstance(v, dt.date):
            return v
        return dt.date.fromisoformat(str(v))
    return one(start), one(end)


def _bloc_members(focal: str, poles: Sequence[str]) -> dict[str, list[str]]:
    """The states that were ever members of each bloc among ``focal`` and ``poles``.

    The store read keeps their events too; the analysis then counts each one only
    while the state was a member (the bundled membership table, as it uses).
    """
    wanted = {c.strip().upper() for c in (focal, *([poles] if isinstance(poles, str) else poles))}
    table = load_memberships()
    members: dict[str, list[str]] = {}
    for bloc, state in zip(table["bloc"].str.upper(), table["member"].str.upper(), strict=True):
        if bloc in wanted:
            members.setdefault(bloc, []).append(state)
    return members


def load_events(
    focal: str,
    poles: Sequence[str],
    db: str | Path | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
) -> pd.DataFrame:
    """Events between ``focal`` and any of ``poles`` (either direction), one row each."""
    start, end = _dates(start, end)
    with Store(resolve_db_path(db), read_only=True) as store:
        frame = store.dyad_frame(
            focal, poles, start=start, end=end, columns=None, documents=True,
            members=_bloc_members(focal, poles),
        )  # fmt: skip
    return dyad_events(frame, focal, poles)


def align(
    focal: str,
    poles: Sequence[str],
    db: str | Path | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    freq: str = "month",
) -> pd.DataFrame:
    """Per pole and period: event counts by quad class, mean Goldstein, net cooperation, tilt.

    Parameters
    ----------
    focal : ISO3 code of the state whose leaning is measured (or a bloc code).
    poles : codes of the rival powers or blocs.
    db : store path; default ``EQUIPOISE_DB`` or ``./equipoise.duckdb``.
    start, end : ISO dates bounding the analysis (inclusive); default all events.
    freq : ``month``, ``quarter`` or ``year``.
    """
    start, end = _dates(start, end)
    with Store(resolve_db_path(db), read_only=True) as store:
        frame = store.dyad_frame(
            focal, poles, start=start, end=end, members=_bloc_members(focal, poles)
        )
    return _align(frame, focal, list(poles), start=start, end=end, freq=freq)
