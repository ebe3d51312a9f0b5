"""The DuckDB store of documents and coded events."""

from equipoise.store.db import SCHEMA_VERSION, Store, StoreError, resolve_db_path

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "resolve_db_path"]
