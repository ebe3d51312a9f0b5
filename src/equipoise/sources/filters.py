"""Which events of a dataset file to keep: by the states or blocs on either side, and by
CAMEO root code.

A filter is applied while a file is read, so a year of GDELT narrowed to a few countries
never holds the rest in the store: rows it leaves out are counted as ``filtered``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from equipoise.errors import UnknownCodeError
from equipoise.reference.cameo import cameo_table
from equipoise.reference.countries import bloc_codes, state_codes


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Keep an event when a side is one of ``countries`` (ISO3 or bloc codes) and its
    CAMEO root is one of ``roots`` (``"04"``); an empty set keeps everything."""

    countries: frozenset[str] = frozenset()
    roots: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, countries: Iterable[str] | None = None, roots: Iterable[str] | None = None
    ) -> EventFilter:
        """A filter from codes as given: upper-cased, roots padded to two digits
        (``4`` is ``04``); an unknown code raises UnknownCodeError."""
        known = state_codes() | bloc_codes()
        chosen: set[str] = set()
        for code in countries or ():
            code = code.strip().upper()
            if not code:
                continue
            if code not in known:
                raise UnknownCodeError(code, f"unknown state or bloc code {code!r}")
            chosen.add(code)
        valid_roots = {entry.root for entry in cameo_table().values()}
        picked: set[str] = set()
        for root in roots or ():
            root = root.strip()
            if not root:
                continue
            padded = root.zfill(2) if root.isdigit() else root
            if padded not in valid_roots:
                raise UnknownCodeError(root, f"unknown CAMEO root code {root!r} (01 to 20)")
            picked.add(padded)
        return cls(frozenset(chosen), frozenset(picked))

    @property
    def everything(self) -> bool:
        """Whether the filter keeps every event."""
        return not self.countries and not self.roots

    def keeps(self, source: str, target: str, root: str) -> bool:
        """Whether an event between actor codes ``source`` and ``target`` of CAMEO
        root ``root`` is kept."""
        if self.countries and source not in self.countries and target not in self.countries:
            return False
        return not self.roots or root in self.roots

    def sql(self, source: str, target: str, root: str) -> str:
        """The SQL condition of :meth:`keeps` on the columns named."""
        terms = []
        if self.countries:
            codes = _list(self.countries)
            terms.append(f"({source} IN ({codes}) OR {target} IN ({codes}))")
        if self.roots:
            terms.append(f"{root} IN ({_list(self.roots)})")
        return " AND ".join(terms) or "true"

    def describe(self) -> str:
        """The filter in a few words, for reports: ``countries AZE,TUR; roots 04``."""
        parts = []
        if self.countries:
            parts.append("countries " + ",".join(sorted(self.countries)))
        if self.roots:
            parts.append("roots " + ",".join(sorted(self.roots)))
        return "; ".join(parts) or "everything"


def _list(codes: frozenset[str]) -> str:
    # The codes come from the package's tables (checked in build), quoted all the same.
    return ", ".join("'" + code.replace("'", "''") + "'" for code in sorted(codes))
