"""PLOVER event types: their scores, their quad classes and the crosswalk with CAMEO.

``data/plover_scores.csv`` holds the PLOVER manual's score of each event type (ACCUSE
scored -3, see the file's header); ``data/plover_to_cameo.csv`` the CAMEO code stored for
a type and mode; ``data/cameo.csv`` the PLOVER type of each CAMEO code.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from equipoise.reference.cameo import cameo_table
from equipoise.reference.data import data_rows

__all__ = [
    "cameo_plover",
    "plover_quads",
    "plover_score_by_type",
    "plover_scores",
    "plover_to_cameo",
    "plover_type",
]

_TYPE = re.compile(r"[A-Z]+")


def plover_type(value: object) -> str:
    """The event type a PLOVER value names: its leading word, upper case ("consult; visit"
    -> "CONSULT"); "" for anything else."""
    if not isinstance(value, str):
        return ""
    found = _TYPE.match(value.strip().upper())
    return found.group(0) if found else ""


@cache
def _score_table() -> pd.DataFrame:
    rows = data_rows("plover_scores.csv")
    table = pd.DataFrame(
        {
            "plover_event": [r["plover_event"].strip().upper() for r in rows],
            "quad": [int(r["quad"]) for r in rows],
            "score": [float(r["score"]) for r in rows],
        }
    )
    if table["plover_event"].duplicated().any() or not table["score"].between(-10, 10).all():
        raise ValueError("plover_scores.csv: duplicate event type or score outside -10..10")
    return table


def plover_scores() -> pd.DataFrame:
    """The PLOVER score (-10..10) of each event type: ``plover_event``, ``quad``, ``score``."""
    return _score_table().copy()


@cache
def plover_score_by_type() -> dict[str, float]:
    """The score (-10..10) of each PLOVER event type (shared: treat as read-only)."""
    table = _score_table()
    return dict(zip(table["plover_event"], table["score"].astype(float), strict=True))


@cache
def plover_quads() -> dict[str, int]:
    """The quad class of each PLOVER event type."""
    table = _score_table()
    return dict(zip(table["plover_event"], table["quad"].astype(int), strict=True))


@cache
def cameo_plover() -> dict[str, str]:
    """The PLOVER event type of each CAMEO code that has one."""
    return {
        code: kind
        for code, entry in cameo_table().items()
        if (kind := plover_type(entry.plover_event))
    }


@cache
def _cameo_by_type() -> dict[tuple[str, str], str]:
    """CAMEO code by (PLOVER type, mode); mode "" is the type's default."""
    return {
        (row["plover_event"].strip().upper(), row["plover_mode"].strip().lower()):
            row["cameo"].strip()
        for row in data_rows("plover_to_cameo.csv")
    }  # fmt: skip


def plover_to_cameo(event_type: str, mode: str = "") -> str:
    """The CAMEO code stored for a PLOVER event type and mode ("ASSAULT", "firearms" -> 193).

    An unknown mode falls back to the type's default; an unknown type is a ValueError.
    """
    table = _cameo_by_type()
    kind = event_type.strip().upper()
    if (kind, "") not in table:
        raise ValueError(f"unknown PLOVER event type {event_type.strip()!r}")
    for part in mode.replace(";", ",").split(","):
        code = table.get((kind, part.strip().lower()))
        if code is not None and part.strip():
            return code
    return table[(kind, "")]
