"""Shared fixtures: one tiny raw database per test session, generated once."""

from __future__ import annotations

import datetime as dt
import os
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


ROOT = Path(__file__).resolve().parents[2]


def dbt(args: list[str], env: dict[str, str] | None = None) -> None:
    """Run dbt in-process (dbtRunner) from the project root; fail loudly."""
    from dbt.cli.main import dbtRunner

    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.chdir(ROOT)
    os.environ.update(env or {})
    try:
        result = dbtRunner().invoke(args)
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    if not result.success:
        raise AssertionError(f"dbt {' '.join(args)} failed: {result.exception}")


@pytest.fixture(scope="session")
def dbt_parsed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """manifest.json of a fresh `dbt parse` (no database needed)."""
    target = tmp_path_factory.mktemp("dbt_target")
    dbt(["parse", "--target", "ci", "--target-path", str(target), "--quiet"])
    return target / "manifest.json"
