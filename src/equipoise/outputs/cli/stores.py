"""Where a command reads and writes: the store or a Parquet event dataset; ``equipoise stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from equipoise.outputs.cli.group import _error, out
from equipoise.outputs.cli.options import DbOption


def _open_store(db: str | None, read_only: bool = False):
    from equipoise.store import Store, StoreError, resolve_db_path

    path = resolve_db_path(db)
    try:
        return Store(path, read_only=read_only)
    except StoreError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


def _where(db: str | None, events: str | None) -> dict[str, Any]:
    """Where the analysis reads its events: ``{"db": store}`` or ``{"events": dataset}``."""
    if events is None:
        return {"db": _existing_db(db)}
    if db is not None:
        raise typer.BadParameter("give --db or --events, not both", param_hint="--events")
    if "://" not in events and not Path(events).expanduser().is_dir():
        _error(f"no Parquet event dataset at {events}; --events names its folder")
        raise typer.Exit(2) from None
    return {"events": events}


def _existing_db(db: str | None) -> Path:
    from equipoise.store import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        _error(f"no store at {path}; run `equipoise ingest` first")
        raise typer.Exit(2) from None
    if not path.is_file():
        _error(f"{path} is not a file; --db names a store file")
        raise typer.Exit(2) from None
    return path


def stats(db: DbOption = None) -> None:
    """What the store holds: documents, events, coded documents, date range."""
    with _open_store(str(_existing_db(db)), read_only=True) as store:
        for key, value in store.stats().items():
            out.print(f"{key:>16}: {value}")
