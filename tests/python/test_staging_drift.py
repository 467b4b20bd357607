"""Schema drift: staging builds when a loader has not landed optional columns
yet (typed NULLs come out) and ignores columns it does not know."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import dbt

DROPPED = {
    ("stripe", "charge"): ["outcome_risk_score", "billing_detail_address_country"],
    ("app_mysql", "users"): ["referral_code", "closed_at", "marketing_opt_in"],
}
MODELS = {
    ("stripe", "charge"): "stg_stripe__charges",
    ("app_mysql", "users"): "stg_app_mysql__users",
}


@pytest.fixture(scope="module")
def drifted_build(raw_tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("drift")
    raw = work / "raw.duckdb"
    shutil.copy(raw_tiny, raw)
    con = duckdb.connect(str(raw))
    for (schema, table), columns in DROPPED.items():
        for column in columns:
            con.execute(f"ALTER TABLE {schema}.{table} DROP COLUMN {column}")
        con.execute(
            f"ALTER TABLE {schema}.{table} ADD COLUMN surprise_new_column VARCHAR DEFAULT 'x'"
        )
    con.close()
    env = {"FINSTACK_CI_DIR": str(work), "FINSTACK_RAW_PATH": str(raw)}
    selection = ["iso_currencies", *MODELS.values()]
    dbt(
        [
            "build",
            "--target",
            "ci",
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--quiet",
            # the models only: their data tests run in the main build
            "--exclude-resource-type",
            "test",
            "unit_test",
            "-s",
            *selection,
        ],
        env,
    )
    return work / "ci.duckdb"


def test_missing_optional_columns_become_typed_nulls(drifted_build: Path) -> None:
    # same settings as dbt-duckdb's connection, which dbtRunner keeps open in-process
    con = duckdb.connect(str(drifted_build))
    con.execute(f"ATTACH IF NOT EXISTS '{drifted_build.parent / 'raw.duckdb'}' AS raw (READ_ONLY)")
    try:
        charges = con.execute(
            "SELECT count(*), count(outcome_risk_score) FROM main.stg_stripe__charges"
        ).fetchone()
        assert charges[0] > 0 and charges[1] == 0
        users = con.execute(
            "SELECT count(*), count(referral_code), count(closed_at), "
            "count(*) FILTER (WHERE NOT is_marketing_opt_in) FROM main.stg_app_mysql__users"
        ).fetchone()
        assert users[0] > 0
        assert users[1] == 0 and users[2] == 0
        # a missing flag reads as false, not NULL: the model's coalesce still holds
        assert users[3] == users[0]
    finally:
        con.close()


def test_unknown_columns_are_ignored(drifted_build: Path) -> None:
    con = duckdb.connect(str(drifted_build))
    try:
        cols = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name IN ('stg_stripe__charges', 'stg_app_mysql__users')"
            ).fetchall()
        }
    finally:
        con.close()
    assert "surprise_new_column" not in cols
