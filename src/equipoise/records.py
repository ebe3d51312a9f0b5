"""Typed records shared by every stage: documents in, events out."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Literal

Precision = Literal["day", "month", "year"]


def content_hash(text: str) -> str:
    """Stable document id: the first 16 hex digits of the SHA-256 of the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Document:
    """One news article or text.

    ``id`` is the content hash of ``text``; ``ref`` is the identifier the
    source gave it (a JSONL ``id``, a file path), kept for provenance.
    """

    id: str
    text: str
    published: dt.date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    ref: str | None = None

    @classmethod
    def from_text(cls, text: str, **meta) -> Document:
        return cls(id=content_hash(text), text=text, **meta)


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened, as precisely as the text says."""

    value: dt.date  # the first day of the period for month and year precision
    precision: Precision = "day"

    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    @classmethod
    def parse(cls, text: str) -> EventDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        parts = text.strip().split("-")
        if len(parts) == 1:
            return cls(dt.date(int(parts[0]), 1, 1), "year")
        if len(parts) == 2:
            return cls(dt.date(int(parts[0]), int(parts[1]), 1), "month")
        return cls(dt.date.fromisoformat(text.strip()[:10]), "day")


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor as coded: ``code`` is ISO3 for states or a bloc code (EU, NATO...).

    ``country`` is the ISO3 country the actor belongs to, or None for blocs/IGOs.
    """

    code: str
    sector: str = "GOV"
    country: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Provenance:
    """What an event dataset says of where its record came from: the publisher, the place
    (as the dataset names it) and its coordinates, the story, and the dataset's notes.

    Coded events have none; every field of an imported record may be missing.
    """

    publisher: str | None = None  # news source or publisher
    place_name: str | None = None  # city or place, or GDELT's full place name
    place_admin: str | None = None  # first-level division: province, state
    place_country: str | None = None  # country as the dataset writes it (GDELT: FIPS code)
    latitude: float | None = None
    longitude: float | None = None
    story_id: str | None = None  # the story the record was coded from (ICEWS)
    notes: str | None = None  # the dataset's description of the record (ACLED, POLECAT)


@dataclass(frozen=True, slots=True)
class Event:
    """A dyadic event: who did what to whom, when, and the sentence that says so."""

    doc_id: str
    start: int  # character offsets of the evidence sentence in the document text
    end: int
    sentence: str
    source: Actor
    target: Actor
    cameo: str  # most specific CAMEO code known, e.g. "042"
    quad: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float
    date: EventDate
    plover: str = ""
    symmetric: bool = False
    reported: bool = False
    trigger: str = ""
    coder: str = ""
    dataset: str = "equipoise"
    provenance: Provenance | None = None  # imported records only

    @property
    def root(self) -> str:
        return self.cameo[:2]

    def to_json(self, doc_ref: str | None = None) -> dict:
        """The flat JSON form written by ``equipoise code --output``."""
        return {
            "doc": doc_ref if doc_ref is not None else self.doc_id,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "source": self.source.code,
            "source_sector": self.source.sector,
            "target": self.target.code,
            "target_sector": self.target.sector,
            "cameo": self.cameo,
            "root": self.root,
            "quad": self.quad,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "date": self.date.iso(),
            "date_precision": self.date.precision,
            "symmetric": self.symmetric,
            "reported": self.reported,
            "trigger": self.trigger,
            "source_text": self.source.text,
            "target_text": self.target.text,
            "coder": self.coder,
        }


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did, file by file."""

    added: int = 0
    skipped: int = 0  # already stored (same content hash)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)
