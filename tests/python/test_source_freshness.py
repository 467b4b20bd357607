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

# per-event Segment tables warn after 72 h instead of 24 h: one rare event
# type (an iOS withdrawal request) among tiny's 1,200 users can be quiet
# for three days by chance, so those may warn on fresh data, never error
QUIET_TABLE_WARN_HOURS = 72


def freshness(raw: Path, work: Path, quiet_tables: set[str] | None = None) -> dict[str, str]:
    """Status per source table of `dbt source freshness` on ``raw``; the ids
    of tables allowed to stay quiet for days (one event type) are added to
    ``quiet_tables`` when given."""
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
    if quiet_tables is not None:
        quiet_tables.update(
            r.node.unique_id
            for r in result.result.results
            if r.node.freshness.warn_after.count >= QUIET_TABLE_WARN_HOURS
            and r.node.freshness.warn_after.period == "hour"
        )
    return {r.node.unique_id: str(r.status) for r in result.result.results}


def test_fresh_data_passes(tmp_path: Path) -> None:
    raw = tmp_path / "raw.duckdb"
    generate("tiny", 3, raw, end_date=dt.datetime.now(dt.UTC).date(), quiet=True)
    quiet: set[str] = set()
    statuses = freshness(raw, tmp_path, quiet)
    assert len(statuses) > 100
    assert quiet, "no per-event table with the longer threshold was found"
    failing = {
        k: v for k, v in statuses.items() if v != "pass" and not (v == "warn" and k in quiet)
    }
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
