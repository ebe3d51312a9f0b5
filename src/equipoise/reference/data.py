"""The one reader of the package's data files (``equipoise/data``, see its README).

Tables there are CSV with a header; blank lines and lines starting with ``#`` (the
files' own notes on sources and conventions) are not data.
"""

from __future__ import annotations

import csv
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["data_file", "data_lines", "data_rows"]


def data_file(*parts: str) -> Traversable:
    """The data file (or folder) at ``parts`` below ``equipoise/data``."""
    return resources.files("equipoise").joinpath("data", *parts)


def data_lines(*parts: str) -> list[str]:
    """The lines of a data file, without blank lines and ``#`` comment lines."""
    text = data_file(*parts).read_text("utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def data_rows(*parts: str) -> list[dict[str, str]]:
    """The rows of a CSV data file as dicts keyed by its header."""
    return list(csv.DictReader(data_lines(*parts)))
