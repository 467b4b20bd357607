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

from finstack.generator.config import Window
from finstack.generator.tables import REGISTRY, RawTable

WORLD = "_world"
MEMORY_LIMIT = "3GB"
META = "_generator"


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), config={"storage_compatibility_version": "v1.0.0"})
    con.execute("SET TimeZone = 'UTC'")
    # Row order of raw tables carries no meaning; not preserving it lets large
    # CREATE TABLE AS statements stream instead of buffering.
    con.execute("SET preserve_insertion_order = false")
    # Bound DuckDB's share of memory (it would take 80% of the machine):
    # large tables spill to disk instead, keeping `large` under 8 GB.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    # FSST string compression costs more CPU than anything else when writing the large
    # Segment tables (ids, URLs: ~2/3 of a segment_web.pages delivery) and buys little on
    # such high-cardinality strings; dictionary compression still covers the repetitive ones.
    con.execute("SET disabled_compression_methods = 'fsst'")
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
        # DuckDB scans the pandas frame in place (no Arrow copy of big frames)
        con.register("_frame", frame)
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
        exists = bool(_present_columns(con, table))
        rebuild = table.mode == "state" or not exists or lower is None
        where = (
            f"_arrival_at < {upper}"
            if rebuild
            else f"_arrival_at >= {lower} AND _arrival_at < {upper}"
        )
        batch = f"SELECT * EXCLUDE (_arrival_at) FROM ({_select(table, upper)}) WHERE {where}"
        if not table.drop_empty_columns:
            # the common case: one statement, no intermediate copy
            if rebuild:
                con.execute(f"CREATE OR REPLACE TABLE {table.fqn} AS {batch}")
                n = con.execute(f"SELECT count(*) FROM {table.fqn}").fetchone()[0]
            else:
                n = con.execute(f"INSERT INTO {table.fqn} {batch}").fetchone()[0]
        elif rebuild:
            # Segment, first delivery: land every column, then drop those that got no
            # value (the loader creates a column only once a value arrives). Counting
            # non-nulls on the landed table is a cheap columnar scan, and DROP COLUMN
            # does not rewrite the other columns, so the batch is computed and written
            # once, with no in-memory copy of it.
            con.execute(f"CREATE OR REPLACE TABLE {table.fqn} AS {batch}")
            names = [c.name for c in table.landed_columns]
            counts = con.execute(
                "SELECT count(*), "
                + ", ".join(f"count({_quote(c)})" for c in names)
                + f" FROM {table.fqn}"
            ).fetchone()
            n = counts[0]
            if n == 0:
                # Segment creates a table only when its first row arrives
                con.execute(f"DROP TABLE {table.fqn}")
            else:
                for c, k in zip(names, counts[1:], strict=True):
                    if not k:
                        con.execute(f"ALTER TABLE {table.fqn} DROP COLUMN {_quote(c)}")
        else:
            # Segment, later deliveries (one day: small): look at the batch first, in
            # memory, and add the columns that got their first value
            con.execute(f"CREATE OR REPLACE TEMP TABLE _batch AS {batch}")
            names = [c.name for c in table.landed_columns]
            counts = con.execute(
                "SELECT count(*), "
                + ", ".join(f"count({_quote(c)})" for c in names)
                + " FROM _batch"
            ).fetchone()
            n = counts[0]
            arrived = [c for c, k in zip(names, counts[1:], strict=True) if k]
            if n:
                present = _present_columns(con, table)
                by_name = {c.name: c for c in table.landed_columns}
                for c in arrived:
                    if c not in present:
                        con.execute(
                            f"ALTER TABLE {table.fqn} ADD COLUMN {_quote(c)} {by_name[c].duckdb_type}"
                        )
                        present.append(c)
                collist = ", ".join(_quote(c) for c in present)
                con.execute(f"INSERT INTO {table.fqn} ({collist}) SELECT {collist} FROM _batch")
            con.execute("DROP TABLE _batch")
        landed[table.fqn] = n
        progress(f"{table.fqn}: +{n:,} rows ({time.perf_counter() - t0:.1f}s)")
    return landed


def _present_columns(con: duckdb.DuckDBPyConnection, table: RawTable) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [table.schema, table.name],
        ).fetchall()
    ]


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
