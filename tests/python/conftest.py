"""Shared fixtures: one tiny raw database per test session, generated once."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from dataclasses import dataclass
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


@dataclass(frozen=True)
class BuiltWarehouse:
    """A tiny warehouse with every model built, on the dbt target `ci`.

    `env` is the environment for dbt and `mf` (target, database folder, raw
    database); `sql()` runs an independent query on the marts. The database
    is a private copy, and DuckDB allows one writer per file, so `sql()`
    opens and closes its own read-only connection around each query.
    """

    folder: Path
    env: dict[str, str]

    @property
    def database(self) -> Path:
        return self.folder / "ci.duckdb"

    def mf_query(
        self, metrics: list[str], group_by: list[str] | None = None, where: str | None = None
    ) -> list[dict[str, str]]:
        """Rows of the real `mf query ... --csv` command, as dicts of the
        CSV's strings ('' for NULL); fails when it returns no row."""
        from finstack.semantic import mf_cli

        path = self.folder / f"mf_query_{len(list(self.folder.glob('mf_query_*')))}.csv"
        args = ["query", "--metrics", ",".join(metrics)]
        if group_by:
            args += ["--group-by", ",".join(group_by)]
        if where:
            args += ["--where", where]
        mf_cli(*args, "--csv", str(path), env=self.env)
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, f"mf query {metrics} by {group_by} returned no rows"
        return rows

    def sql(self, query: str) -> list[tuple]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.execute(query).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """The warehouse `make test` has just built (FINSTACK_CI_DIR), copied;
    without one, tiny data (seed 1) built here. Either way the project's
    target/ then holds the semantic manifest of the `ci` target, which `mf`
    reads from there and nowhere else."""
    folder = tmp_path_factory.mktemp("built")
    ci_dir = os.environ.get("FINSTACK_CI_DIR")
    manifest = ROOT / "target" / "semantic_manifest.json"
    reuse = (
        ci_dir is not None
        and (Path(ci_dir) / "ci.duckdb").exists()
        and manifest.exists()
        and '"database": "ci"' in manifest.read_text()
    )
    if reuse:
        raw = Path(ci_dir) / "raw.duckdb"
        shutil.copyfile(Path(ci_dir) / "ci.duckdb", folder / "ci.duckdb")
    else:
        raw = folder / "raw.duckdb"
        generate("tiny", 1, raw, quiet=True)
    env = {
        "DBT_TARGET": "ci",
        "DBT_PROFILES_DIR": str(ROOT),
        "FINSTACK_CI_DIR": str(folder),
        "FINSTACK_RAW_PATH": str(raw),
    }
    if not reuse:
        dbt(
            [
                "build",
                "--target",
                "ci",
                "--exclude-resource-type",
                "test",
                "--exclude-resource-type",
                "unit_test",
                "--quiet",
            ],
            env=env,
        )
    return BuiltWarehouse(folder=folder, env=dict(os.environ, **env))
