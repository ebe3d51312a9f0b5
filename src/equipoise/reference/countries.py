"""State and bloc codes and their English names, from the actor gazetteer's tables
(``data/actors/countries.csv`` and ``data/actors/blocs.csv``)."""

from __future__ import annotations

from functools import cache

from equipoise.reference.data import data_rows

__all__ = ["bloc_codes", "bloc_rows", "names", "state_codes", "state_rows"]


@cache
def state_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``countries.csv``: ``iso3``, ``name``, ``aliases``, ``adjectives``..."""
    return tuple(data_rows("actors", "countries.csv"))


@cache
def bloc_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``blocs.csv``: ``code``, ``name``, ``aliases``, ``adjectives``."""
    return tuple(data_rows("actors", "blocs.csv"))


def _codes(rows: tuple[dict[str, str], ...], column: str) -> frozenset[str]:
    return frozenset(
        row[column].strip().upper() for row in rows if (row.get(column) or "").strip()
    )


@cache
def state_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes of the states the package knows."""
    return _codes(state_rows(), "iso3")


@cache
def bloc_codes() -> frozenset[str]:
    """Codes of the blocs and organisations the package knows (NATO, EU, CSTO...)."""
    return _codes(bloc_rows(), "code")


@cache
def names() -> dict[str, str]:
    """The English name of each state and bloc, by code (shared: treat as read-only)."""
    found = {row["iso3"].strip().upper(): row["name"].strip() for row in state_rows()}
    found.update({row["code"].strip().upper(): row["name"].strip() for row in bloc_rows()})
    return found
