"""Shared fixtures: one tiny raw database per test session, generated once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from finstack.generator.generate import generate

TEST_SEED = 7
TEST_END_DATE = dt.date(2026, 6, 30)


@pytest.fixture(scope="session")
def raw_tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a tiny raw database (seed 7, ending 2026-06-30)."""
    path = tmp_path_factory.mktemp("raw") / "raw.duckdb"
    generate("tiny", TEST_SEED, path, end_date=TEST_END_DATE, quiet=True)
    return path


@pytest.fixture()
def raw_con(raw_tiny: Path):
    con = duckdb.connect(str(raw_tiny), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    yield con
    con.close()
