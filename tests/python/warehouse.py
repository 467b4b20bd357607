"""A dbt working folder for whole-project pytest checks (parity, privacy).

dbt runs in a subprocess with the same environment, target path and vars
every time it can, so that partial parsing applies (a full parse of the
project takes about half a minute); the databases of each scenario are
copied in and saved out between runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Warehouse:
    """One dbt working folder whose database and raw files are swapped in and out.

    dbt runs in a subprocess with the same environment, target path and
    vars every time it can, so that partial parsing applies (a full parse
    of the project takes about half a minute); the databases of each
    scenario are copied in and saved out between runs.
    """

    def __init__(self, base: Path) -> None:
        self.work = base / "work"
        self.work.mkdir()
        self.db = self.work / "ci.duckdb"
        self.raw = self.work / "raw.duckdb"
        self.target = base / "target"
        self.env = dict(
            os.environ,
            FINSTACK_CI_DIR=str(self.work),
            FINSTACK_RAW_PATH=str(self.raw),
            DBT_PROFILES_DIR=str(ROOT),
        )

    def use(self, raw: Path, db: Path | None = None) -> None:
        shutil.copyfile(raw, self.raw)
        if db is not None:
            shutil.copyfile(db, self.db)

    def save(self, name: str) -> Path:
        """Copy the database out as NAME/ci.duckdb: dbt's views name their
        catalog (the file's stem), so the file keeps its name."""
        folder = self.work.parent / name
        folder.mkdir()
        shutil.copyfile(self.db, folder / "ci.duckdb")
        return folder / "ci.duckdb"

    def dbt(self, *args: str, lookback_days: int | None = None) -> None:
        """Run dbt on the ci target; `lookback_days` sets
        var('sessions_reprocess_days') (keep it constant across runs of
        one warehouse: changed vars force a full parse)."""
        cmd = [str(Path(sys.executable).parent / "dbt"), *args]
        if lookback_days is not None:
            cmd += ["--vars", f"{{sessions_reprocess_days: {lookback_days}}}"]
        cmd += [
            "--target",
            "ci",
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.target / "logs"),
            "--quiet",
        ]
        done = subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
