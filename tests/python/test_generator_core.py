"""The generator as a whole: interface, determinism, shapes, next-day deliveries."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from finstack.cli import main as cli_main
from finstack.generator.config import DEFECTS, SCALES
from finstack.generator.deliver import read_meta
from finstack.generator.generate import generate, next_day
from finstack.generator.tables import REGISTRY

from conftest import TEST_END_DATE, TEST_SEED


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    """Order-independent checksum of every raw table (not the generator's internals)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT LIKE '\\_%' ESCAPE '\\' AND table_catalog = current_database()"
        ).fetchall()
        for schema, name in tables:
            n, digest = con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(h, ',' ORDER BY h), '')) "
                f'FROM (SELECT md5(CAST(t AS VARCHAR)) AS h FROM {schema}."{name}" AS t)'
            ).fetchone()
            out[f"{schema}.{name}"] = (n, digest)
        return out
    finally:
        con.close()


def test_same_seed_same_tables(raw_tiny: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.duckdb"
    generate("tiny", TEST_SEED, again, end_date=TEST_END_DATE, quiet=True)
    first, second = checksums(raw_tiny), checksums(again)
    assert first.keys() == second.keys()
    differing = [t for t in first if first[t] != second[t]]
    assert not differing, f"tables differ between two runs with the same seed: {differing}"


def test_other_seed_other_data(raw_tiny: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    generate("tiny", TEST_SEED + 1, other, end_date=TEST_END_DATE, quiet=True)
    first, second = checksums(raw_tiny), checksums(other)
    same = [t for t in first if t in second and first[t] == second[t] and first[t][0] > 50]
    assert not same, f"a different seed left these tables identical: {same}"


def test_every_declared_table_is_landed_with_its_columns(raw_con) -> None:
    landed = {
        (s, t): {
            c
            for (c,) in raw_con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                [s, t],
            ).fetchall()
        }
        for s, t in raw_con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
        ).fetchall()
    }
    missing_tables, missing_columns, undeclared = [], [], []
    for table in REGISTRY.values():
        cols = landed.get((table.schema, table.name))
        declared = {c.name for c in table.landed_columns}
        if cols is None:
            # Segment creates a table only when its first row arrives
            if not table.drop_empty_columns:
                missing_tables.append(table.fqn)
            continue
        undeclared += [f"{table.fqn}.{c}" for c in cols - {c.name for c in table.columns}]
        if not table.drop_empty_columns:
            missing_columns += [f"{table.fqn}.{c}" for c in declared - cols]
    assert not missing_tables
    assert not missing_columns
    assert not undeclared
    absent = [
        f"{t.fqn}.{c.name}"
        for t in REGISTRY.values()
        for c in t.columns
        if c.absent and c.name in landed.get((t.schema, t.name), set())
    ]
    assert not absent, "columns declared absent were landed"


def test_every_schema_of_the_reference_is_present(raw_con) -> None:
    schemas = {
        s
        for (s,) in raw_con.execute(
            "SELECT DISTINCT table_schema FROM information_schema.tables"
        ).fetchall()
    }
    for expected in [
        "segment_web",
        "segment_ios",
        "segment_android",
        "segment_server",
        "app_mysql",
        "stripe",
        "hubspot",
        "google_ads",
        "facebook_ads",
        "linkedin_ads",
        "helpscout",
    ]:
        assert expected in schemas


def test_meta_records_the_window(raw_con) -> None:
    meta = read_meta(raw_con)
    assert meta["seed"] == TEST_SEED
    assert meta["scale"] == "tiny"
    assert meta["end_date"] == TEST_END_DATE
    assert meta["delivered_through"] == TEST_END_DATE
    assert (meta["end_date"] - meta["start_date"]).days == SCALES["tiny"].days - 1


def test_next_day_appends_one_day_deterministically(raw_tiny: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    shutil.copy(raw_tiny, a)
    shutil.copy(raw_tiny, b)
    before = checksums(a)
    landed = next_day(a, quiet=True)
    next_day(b, quiet=True)
    after = checksums(a)
    assert after == checksums(b), "two --next-day deliveries from the same database differ"
    assert sum(landed.values()) > 0
    con = duckdb.connect(str(a), read_only=True)
    assert read_meta(con)["delivered_through"] == TEST_END_DATE + dt.timedelta(days=1)
    con.close()
    shrunk = [
        t
        for t, table in REGISTRY.items()
        if table.mode == "append" and t in before and after[t][0] < before[t][0]
    ]
    assert not shrunk, f"append tables lost rows on --next-day: {shrunk}"


def test_next_day_refuses_past_the_simulated_horizon(raw_tiny: Path, tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    shutil.copy(raw_tiny, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE _generator.meta SET delivered_through = horizon_date")
    con.close()
    with pytest.raises(SystemExit, match="generate again with a later --end-date"):
        next_day(path, quiet=True)


def test_cli_rejects_bad_input(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        cli_main(["generate", "--scale", "huge", "--raw", str(tmp_path / "x.duckdb")])
    with pytest.raises(SystemExit, match="needs --scale"):
        cli_main(["generate", "--raw", str(tmp_path / "x.duckdb")])
    with pytest.raises(SystemExit, match="no raw database"):
        cli_main(["generate", "--next-day", "--raw", str(tmp_path / "missing.duckdb")])
    with pytest.raises(SystemExit):
        cli_main(
            [
                "generate",
                "--scale",
                "tiny",
                "--raw",
                str(tmp_path / "x.duckdb"),
                "--end-date",
                "2026-13-01",
            ]
        )


def test_parquet_export_writes_every_table(raw_tiny: Path, tmp_path: Path) -> None:
    from finstack.generator.deliver import connect, export_parquet

    out = tmp_path / "parquet"
    con = connect(raw_tiny)
    export_parquet(con, out, lambda _: None)
    tables = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT LIKE '\\_%' ESCAPE '\\'"
    ).fetchone()[0]
    con.close()
    files = list(out.rglob("*.parquet"))
    assert len(files) == tables
    assert duckdb.execute(f"SELECT count(*) FROM '{out}/app_mysql/users.parquet'").fetchone()[0] > 0


def test_core_defect_rates(raw_con) -> None:
    users = raw_con.execute("SELECT count(*) FROM app_mysql.users").fetchone()[0]
    internal = raw_con.execute(
        "SELECT count(*) FROM app_mysql.users WHERE lower(email) LIKE '%@finstack.co.uk' "
        "OR lower(email) LIKE 'qa+%' OR lower(email) LIKE '%+test@%'"
    ).fetchone()[0]
    rate = DEFECTS["internal_users"].rate
    assert internal >= 5
    assert abs(internal / users - rate) <= rate * DEFECTS["internal_users"].tolerance + 5 / users


def test_one_world_across_sources(raw_con) -> None:
    """The same people are app users, HubSpot contacts, Stripe customers,
    Help Scout customers and Segment users."""
    app_emails = (
        "SELECT lower(trim(email)) AS e FROM app_mysql.users WHERE email NOT LIKE 'erased+%'"
    )
    # HubSpot contacts of app users carry the app user's email (case/space variants aside)
    unmatched_hubspot = raw_con.execute(f"""
        SELECT count(*) FROM hubspot.contact c
        WHERE c.id BETWEEN 1000000 AND 1999999 AND NOT coalesce(c._fivetran_deleted, false)
          AND lower(trim(c.property_email)) NOT IN ({app_emails})
    """).fetchone()[0]
    assert unmatched_hubspot == 0
    # every live Stripe customer is an app user's customer id
    orphans = raw_con.execute("""
        SELECT count(*) FROM stripe.customer c
        WHERE c.livemode AND c.id NOT IN (
            SELECT stripe_customer_id FROM app_mysql.users WHERE stripe_customer_id IS NOT NULL)
    """).fetchone()[0]
    assert orphans == 0
    # every Help Scout customer with an app account has one of its emails
    helpscout = raw_con.execute(f"""
        SELECT count(DISTINCT _sdc_source_key_id) FILTER (WHERE lower(trim(value)) IN ({app_emails})),
               count(DISTINCT _sdc_source_key_id)
        FROM helpscout.customers__emails
    """).fetchone()
    assert helpscout[0] >= 0.9 * helpscout[1]
    # server-side Segment user ids are app public ids (or legacy numeric ids)
    unknown = raw_con.execute("""
        SELECT count(*) FROM segment_server.tracks t
        WHERE t.user_id NOT IN (SELECT public_id FROM app_mysql.users)
          AND t.user_id NOT IN (SELECT CAST(id AS VARCHAR) FROM app_mysql.users)
    """).fetchone()[0]
    assert unknown == 0
