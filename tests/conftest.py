"""Fixtures shared by the test modules; the factories behind them are in ``factories.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import far_dates_store


@pytest.fixture(scope="session")
def far_store(tmp_path_factory) -> Path:
    """A store with events in year 1, in May 2020 and in year 9999 (read only: shared)."""
    return far_dates_store(tmp_path_factory.mktemp("far") / "far.duckdb")
