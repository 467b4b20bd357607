"""Write the world into a raw DuckDB database and deliver raw tables as the loaders would.

The raw database holds:
- ``_world.*``: the simulated world over the whole horizon (end date plus
  ``HORIZON_EXTRA_DAYS``). Internal to the generator; no source reads it.
- ``_generator.meta``: seed, scale, window and the current delivery cut-off.
- one schema per loader connection (``segment_web``, ``app_mysql``, ``stripe``...)
  with the raw tables delivered up to the cut-off.

A delivery to cut-off C lands every row whose ``_arrival_at`` (the loader's
clock) is before C. Append tables get the rows that arrived since the previous
cut-off; state tables are rebuilt as of C (the loader's upsert). ``--next-day``
is one more delivery, one day later, so it carries late events for earlier
days and re-delivered duplicates exactly as they were simulated.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from finstack.generator.config import Window
from finstack.generator.tables import REGISTRY, RawTable

WORLD = "_world"
META = "_generator"


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), config={"storage_compatibility_version": "v1.0.0"})
    con.execute("SET TimeZone = 'UTC'")
    return con


def install_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """SQL helpers the raw-table SELECTs use. Deterministic: md5 of the seed and a key."""
    con.execute(f"""
        CREATE OR REPLACE TEMP MACRO h(ns, i) AS md5('{int(seed)}:' || ns || ':' || CAST(i AS VARCHAR));
        CREATE OR REPLACE TEMP MACRO uuid_of(ns, i) AS
            substr(h(ns, i), 1, 8) || '-' || substr(h(ns, i), 9, 4) || '-4' || substr(h(ns, i), 14, 3)
            || '-' || substr(h(ns, i), 17, 4) || '-' || substr(h(ns, i), 21, 12);
        CREATE OR REPLACE TEMP MACRO sid(prefix, ns, i) AS prefix || substr(h(ns, i), 1, 24);
        -- a number in [0, 1) drawn from the key: for choices made in SQL
        CREATE OR REPLACE TEMP MACRO u01(ns, i) AS
            CAST(('0x' || substr(h(ns, i), 1, 8))::UBIGINT AS DOUBLE) / 4294967296.0;
        CREATE OR REPLACE TEMP MACRO ts_of(us) AS
            CASE WHEN us IS NULL OR us < 0 THEN NULL ELSE make_timestamp(CAST(us AS BIGINT))::TIMESTAMPTZ END;
        CREATE OR REPLACE TEMP MACRO dt_of(us) AS
            CASE WHEN us IS NULL OR us < 0 THEN NULL ELSE make_timestamp(CAST(us AS BIGINT)) END;
        CREATE OR REPLACE TEMP MACRO date_of(us) AS
            CASE WHEN us IS NULL OR us < 0 THEN NULL ELSE CAST(make_timestamp(CAST(us AS BIGINT)) AS DATE) END;
    """)


def write_world(
    con: duckdb.DuckDBPyConnection, frames: dict, progress: Callable[[str], None]
) -> None:
    con.execute(f"DROP SCHEMA IF EXISTS {WORLD} CASCADE")
    con.execute(f"CREATE SCHEMA {WORLD}")
    for name, frame in frames.items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        con.register("_frame", table)
        con.execute(f"CREATE TABLE {WORLD}.{name} AS SELECT * FROM _frame")
        con.unregister("_frame")
        progress(f"world {name}: {len(frame):,} rows")


def write_meta(
    con: duckdb.DuckDBPyConnection, seed: int, scale: str, window: Window, cutoff: dt.date
) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {META}")
    con.execute(f"""
        CREATE OR REPLACE TABLE {META}.meta AS SELECT
            {int(seed)} AS seed, '{scale}' AS scale,
            DATE '{window.start_date}' AS start_date, DATE '{window.end_date}' AS end_date,
            DATE '{window.horizon_date}' AS horizon_date,
            DATE '{cutoff}' AS delivered_through
    """)


def read_meta(con: duckdb.DuckDBPyConnection) -> dict:
    try:
        row = con.execute(f"SELECT * FROM {META}.meta").fetchone()
    except duckdb.CatalogException as exc:
        raise SystemExit(
            "this raw database was not written by `finstack generate` "
            f"(no {META}.meta table); generate it first"
        ) from exc
    names = [d[0] for d in con.description]
    return dict(zip(names, row, strict=True))


def _ts_literal(day: dt.date) -> str:
    return f"TIMESTAMPTZ '{day.isoformat()} 00:00:00+00'"


def _select(table: RawTable, cutoff_literal: str) -> str:
    casts = ",\n    ".join(
        f"CAST({_quote(c.name)} AS {c.duckdb_type}) AS {_quote(c.name)}"
        for c in table.landed_columns
    )
    body = table.sql.replace("{cutoff}", cutoff_literal)
    return f"SELECT\n    {casts},\n    _arrival_at\nFROM (\n{body}\n) AS src"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def deliver(
    con: duckdb.DuckDBPyConnection,
    prev_cutoff: dt.date | None,
    cutoff: dt.date,
    progress: Callable[[str], None],
    tables: list[RawTable] | None = None,
) -> dict[str, int]:
    """Land every raw table's rows that arrived before midnight starting ``cutoff`` + 1 day.

    ``cutoff`` is the last delivered day (inclusive)."""
    upper = _ts_literal(cutoff + dt.timedelta(days=1))
    lower = _ts_literal(prev_cutoff + dt.timedelta(days=1)) if prev_cutoff else None
    landed: dict[str, int] = {}
    for table in tables or list(REGISTRY.values()):
        t0 = time.perf_counter()
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.schema}")
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [table.schema, table.name],
        ).fetchone()[0]
        select = _select(table, upper)
        if table.mode == "state" or not exists or lower is None:
            where = f"_arrival_at < {upper}"
        else:
            where = f"_arrival_at >= {lower} AND _arrival_at < {upper}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _batch AS SELECT * EXCLUDE (_arrival_at) FROM ({select}) WHERE {where}"
        )
        n = con.execute("SELECT count(*) FROM _batch").fetchone()[0]
        if table.mode == "state" or not exists or lower is None:
            if n == 0 and table.drop_empty_columns:
                # Segment creates a table only when its first row arrives
                con.execute(f"DROP TABLE IF EXISTS {table.fqn}")
                landed[table.fqn] = 0
                continue
            con.execute(f"CREATE OR REPLACE TABLE {table.fqn} AS SELECT * FROM _batch")
            if table.drop_empty_columns:
                _drop_empty_columns(con, table)
        else:
            if table.drop_empty_columns:
                _add_arrived_columns(con, table)
            present = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                    [table.schema, table.name],
                ).fetchall()
            ]
            collist = ", ".join(_quote(c) for c in present)
            con.execute(f"INSERT INTO {table.fqn} ({collist}) SELECT {collist} FROM _batch")
        landed[table.fqn] = n
        progress(f"{table.fqn}: +{n:,} rows ({time.perf_counter() - t0:.1f}s)")
    con.execute("DROP TABLE IF EXISTS _batch")
    return landed


def _drop_empty_columns(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    names = [c.name for c in table.landed_columns]
    counts = con.execute(
        "SELECT " + ", ".join(f"count({_quote(n)})" for n in names) + f" FROM {table.fqn}"
    ).fetchone()
    empty = [n for n, k in zip(names, counts, strict=True) if k == 0]
    for n in empty:
        con.execute(f"ALTER TABLE {table.fqn} DROP COLUMN {_quote(n)}")


def _add_arrived_columns(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    present = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [table.schema, table.name],
        ).fetchall()
    }
    missing = [c for c in table.landed_columns if c.name not in present]
    if not missing:
        return
    counts = con.execute(
        "SELECT " + ", ".join(f"count({_quote(c.name)})" for c in missing) + " FROM _batch"
    ).fetchone()
    for c, k in zip(missing, counts, strict=True):
        if k:
            con.execute(f"ALTER TABLE {table.fqn} ADD COLUMN {_quote(c.name)} {c.duckdb_type}")


def export_parquet(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, progress: Callable[[str], None]
) -> None:
    out = Path(out_dir)
    schemas = sorted({t.schema for t in REGISTRY.values()})
    for schema in schemas:
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1",
            [schema],
        ).fetchall():
            target = out / schema / f"{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY {schema}.{_quote(name)} TO '{target}' (FORMAT PARQUET)")
    progress(f"parquet files written under {out}")
