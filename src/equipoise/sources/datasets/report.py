"""What reading and storing dataset files did: rows, events, skips and errors."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ImportReport:
    """What reading (and storing) one or more dataset files did."""

    rows: int = 0  # data rows read, header excluded
    events: int = 0  # rows that became events
    domestic: int = 0  # skipped: the same state or bloc on both sides
    no_actor: int = 0  # skipped: no state or bloc on one side or both
    unmapped: int = 0  # skipped: an event type with no CAMEO equivalent (ACLED)
    duplicates: int = 0  # skipped: a record id already read from the same file
    filtered: int = 0  # events left out by an EventFilter (countries, CAMEO roots)
    errors: list[str] = field(default_factory=list)  # "file:line: message"
    added: int = 0  # events new to the store
    replaced: int = 0  # events already stored, written again

    @property
    def skipped(self) -> int:
        return self.domestic + self.no_actor + self.unmapped + self.duplicates

    def merge(self, other: ImportReport) -> None:
        """Add ``other``'s counts and errors to this report."""
        for name in ("rows", "events", "domestic", "no_actor", "unmapped", "duplicates",
                     "filtered", "added", "replaced"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)
