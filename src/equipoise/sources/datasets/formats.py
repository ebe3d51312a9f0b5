"""The dataset formats read, and the coder name each one's events are stored under."""

from __future__ import annotations

FORMATS = ("gdelt1", "gdelt2", "icews", "polecat", "acled")
CODERS = {
    "gdelt1": "gdelt/1.0", "gdelt2": "gdelt/2.0", "icews": "icews/dataverse",
    "polecat": "polecat/dataverse", "acled": "acled/export",
}  # fmt: skip
