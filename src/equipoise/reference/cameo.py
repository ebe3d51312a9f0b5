"""CAMEO event codes: the package's code table and lookups by code.

The table lives in ``equipoise/data/cameo.csv`` (see ``data/README.md``). Codes are
strings of two to four digits with leading zeros kept: ``"04"`` is the root
"Consult", ``"042"`` is "Make a visit", ``"0874"`` is "Retreat or surrender
militarily".
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from equipoise.errors import UnknownCodeError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "cameo.csv"

COLUMNS = (
    "code",
    "root",
    "level",
    "label",
    "quad",
    "goldstein",
    "plover_event",
    "plover_mode",
    "plover_context",
)

ROOTS = tuple(f"{n:02d}" for n in range(1, 21))


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One row of the CAMEO table.

    ``quad`` is the quad class (1 verbal cooperation, 2 material cooperation,
    3 verbal conflict, 4 material conflict); ``goldstein`` is the Goldstein
    conflict-cooperation weight (-10 to +10). The ``plover_*`` fields hold the
    PLOVER event type, mode and context, empty where there is none.
    """

    code: str
    root: str
    label: str
    quad: int
    goldstein: float
    plover_event: str
    plover_mode: str
    plover_context: str

    @property
    def level(self) -> int:
        """2 for a root code, 3 or 4 for a sub-code."""
        return len(self.code)


class UnknownCameoCode(UnknownCodeError, KeyError):
    """Raised for a code that is not in the CAMEO table."""

    def __str__(self) -> str:
        return f"unknown CAMEO code: {self.code!r}"


def _quad_for_root(root: str) -> int:
    n = int(root)
    if 1 <= n <= 5:
        return 1
    if 6 <= n <= 8:
        return 2
    if 9 <= n <= 13:
        return 3
    if 14 <= n <= 20:
        return 4
    raise ValueError(f"not a CAMEO root: {root!r}")


def _read_table(path: Path) -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: header must be {','.join(COLUMNS)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            code = row["code"].strip()
            if not (code.isdigit() and 2 <= len(code) <= 4):
                raise ValueError(f"{where}: malformed code {code!r}")
            if code in table:
                raise ValueError(f"{where}: duplicate code {code!r}")
            if row["root"] != code[:2] or row["level"] != str(len(code)):
                raise ValueError(f"{where}: root or level does not match code {code!r}")
            try:
                quad = int(row["quad"])
                goldstein = float(row["goldstein"])
            except ValueError as exc:
                raise ValueError(f"{where}: bad quad or goldstein for {code!r}") from exc
            if quad != _quad_for_root(code[:2]):
                raise ValueError(f"{where}: quad {quad} does not match root of {code!r}")
            if not -10.0 <= goldstein <= 10.0:
                raise ValueError(f"{where}: goldstein {goldstein} out of range for {code!r}")
            table[code] = CameoCode(
                code=code,
                root=code[:2],
                label=row["label"].strip(),
                quad=quad,
                goldstein=goldstein,
                plover_event=row["plover_event"].strip(),
                plover_mode=row["plover_mode"].strip(),
                plover_context=row["plover_context"].strip(),
            )
    return table


@functools.cache
def _package_table() -> dict[str, CameoCode]:
    return _read_table(DEFAULT_PATH)


def cameo_table(path: str | Path | None = None) -> dict[str, CameoCode]:
    """All codes, keyed by code string.

    Without ``path`` this is the package table, read once and shared: treat it
    as read-only. With ``path`` the given file is read afresh.
    """
    if path is None:
        return _package_table()
    return _read_table(Path(path))


def lookup(code: str) -> CameoCode:
    """The table entry for ``code`` ("042" -> Make a visit).

    Surrounding whitespace is ignored; otherwise the code must be written as in
    the table, with its leading zero ("42" is not "042").
    """
    if not isinstance(code, str):
        raise UnknownCameoCode(code)
    entry = _package_table().get(code.strip())
    if entry is None:
        raise UnknownCameoCode(code)
    return entry


def quad_of(code: str) -> int:
    """Quad class of a known code, from its root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    return _quad_for_root(lookup(code).root)
