"""Source freshness: the generated data meets every source's freshness
thresholds, and the same checks fail when the data is stale."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from finstack.generator.generate import generate

from conftest import ROOT


def freshness(raw: Path, work: Path) -> dict[str, str]:
    """Status per source table of `dbt source freshness` on ``raw``."""
    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.chdir(ROOT)
    os.environ.update({"FINSTACK_CI_DIR": str(work), "FINSTACK_RAW_PATH": str(raw)})
    try:
        result = dbtRunner().invoke(
            [
                "source",
                "freshness",
                "--target",
                "ci",
                "--target-path",
                str(work / "target"),
                "--log-path",
                str(work / "logs"),
                "--quiet",
            ]
        )
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    assert result.result is not None, f"dbt source freshness did not run: {result.exception}"
    return {r.node.unique_id: str(r.status) for r in result.result.results}


def test_fresh_data_passes(tmp_path: Path) -> None:
    raw = tmp_path / "raw.duckdb"
    generate("tiny", 3, raw, end_date=dt.datetime.now(dt.UTC).date(), quiet=True)
    statuses = freshness(raw, tmp_path)
    assert len(statuses) > 100
    failing = {k: v for k, v in statuses.items() if v not in ("pass",)}
    assert not failing, f"fresh data fails freshness: {failing}"


def test_stale_data_fails(raw_tiny: Path, tmp_path: Path) -> None:
    # the shared fixture ends on 2026-06-30: months before any run of this test
    if dt.datetime.now(dt.UTC).date() <= dt.date(2026, 7, 5):
        pytest.fail("the fixture's end date must lie in the past for this test")
    statuses = freshness(raw_tiny, tmp_path)
    errors = [k for k, v in statuses.items() if v == "error"]
    # every source with a freshness threshold reports stale data
    assert any("source.finstack.segment_web" in k for k in errors)
    assert any("source.finstack.app_mysql" in k for k in errors)
    assert any("source.finstack.stripe" in k for k in errors)
    assert len(errors) > 50
