"""Segment raw tables: shapes, identity, clocks and the documented defect rates (tiny data)."""

from __future__ import annotations

import pytest

from finstack.generator.config import DEFECTS

CLIENT = ["segment_web", "segment_ios", "segment_android"]
ALL = [*CLIENT, "segment_server"]
EVENT_TABLES = {"pages", "screens", "tracks", "identifies"}


def _tables(con, schema: str) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [schema]
    ).fetchall()
    return {r[0] for r in rows}


def _columns(con, schema: str, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return dict(rows)


def _messages(con) -> str:
    """Every delivered message once per copy: pages, screens, tracks, identifies."""
    parts = []
    for schema in ALL:
        for t in EVENT_TABLES & _tables(con, schema):
            parts.append(
                f"SELECT '{schema}' AS src, id, \"timestamp\", original_timestamp, "
                f"sent_at, received_at FROM {schema}.{t}"
            )
    return " UNION ALL ".join(parts)


def test_tables_per_source(raw_con):
    web, ios, android, server = (_tables(raw_con, s) for s in ALL)
    assert {"pages", "tracks", "identifies", "users", "product_viewed"} <= web
    assert {
        "screens",
        "tracks",
        "identifies",
        "users",
        "application_opened",
        "application_installed",
        "application_backgrounded",
        "deep_link_opened",
    } <= ios
    assert {"screens", "tracks", "identifies", "users", "application_opened"} <= android
    assert "deep_link_opened" not in android  # only iOS emits it
    assert {"tracks", "identifies", "deposit_completed", "kyc_approved"} <= server
    assert not {"users", "pages", "screens"} & server
    assert "screens" not in web and "pages" not in ios


def test_common_columns_and_types(raw_con):
    for schema in ALL:
        c = _columns(raw_con, schema, "tracks")
        for name in (
            "id",
            "user_id",
            "timestamp",
            "original_timestamp",
            "sent_at",
            "received_at",
            "uuid_ts",
            "context_library_name",
            "event",
            "event_text",
        ):
            assert name in c, (schema, name)
        assert c["timestamp"].startswith("TIMESTAMP WITH TIME ZONE")
        assert "loaded_at" not in c  # BigQuery only
    web = _columns(raw_con, "segment_web", "pages")
    for name in (
        "context_page_url",
        "context_page_path",
        "context_page_search",
        "context_user_agent",
        "context_campaign_source",
        "url",
        "path",
        "title",
    ):
        assert name in web
    ios = _columns(raw_con, "segment_ios", "screens")
    assert ios["context_screen_width"] == "BIGINT"
    assert ios["context_device_ad_tracking_enabled"] == "BOOLEAN"
    # schema drift: term/content only after 90 days (tiny covers 60), amount as a string
    assert "context_campaign_term" not in web
    assert _columns(raw_con, "segment_android", "deposit_initiated")["amount"] == "VARCHAR"
    assert _columns(raw_con, "segment_ios", "deposit_initiated")["amount"] == "DOUBLE"
    # the loader dropped the reserved property user_id: only the message's own column exists
    assert "anonymous_id" not in _columns(raw_con, "segment_server", "deposit_completed")


def test_every_track_in_tracks_and_its_table(raw_con):
    for schema in ALL:
        for t in _tables(raw_con, schema) - EVENT_TABLES - {"users"}:
            missing = raw_con.execute(
                f"SELECT count(*) FROM {schema}.{t} x "
                f"WHERE x.id NOT IN (SELECT id FROM {schema}.tracks)"
            ).fetchone()[0]
            assert missing == 0, (schema, t)
        per_event = sum(
            raw_con.execute(f"SELECT count(*) FROM {schema}.{t}").fetchone()[0]
            for t in _tables(raw_con, schema) - EVENT_TABLES - {"users"}
        )
        tracks = raw_con.execute(f"SELECT count(*) FROM {schema}.tracks").fetchone()[0]
        assert per_event == tracks, schema


def test_exact_duplicates(raw_con):
    n, distinct, late = raw_con.execute(f"""
        WITH m AS ({_messages(raw_con)}),
        d AS (SELECT src, id, max(received_at) - min(received_at) AS gap, count(*) AS k
              FROM m GROUP BY ALL)
        SELECT sum(k), count(*), count(*) FILTER (WHERE gap > INTERVAL 24 HOUR) FROM d
    """).fetchone()
    rate = (n - distinct) / distinct
    assert rate == pytest.approx(DEFECTS["segment_exact_duplicates"].rate, rel=0.5)
    assert late >= 1  # some re-deliveries come days later
    assert late / distinct < 0.002


def test_mobile_lateness(raw_con):
    parts = [
        f'SELECT received_at, "timestamp", sent_at, original_timestamp FROM {s}.{t}'
        for s in ("segment_ios", "segment_android")
        for t in ("screens", "tracks", "identifies")
    ]
    n, h1, d3 = raw_con.execute(f"""
        WITH m AS ({" UNION ALL ".join(parts)})
        SELECT count(*),
               count(*) FILTER (WHERE received_at - "timestamp" > INTERVAL 1 HOUR),
               count(*) FILTER (WHERE received_at - "timestamp" > INTERVAL 3 DAY)
        FROM m WHERE received_at - "timestamp" < INTERVAL 40 DAY AND "timestamp" < received_at
    """).fetchone()
    assert h1 / n == pytest.approx(DEFECTS["segment_late_1h"].rate, rel=0.5)
    assert d3 / n == pytest.approx(DEFECTS["segment_late_3d"].rate, rel=0.7)


def test_timestamp_is_corrected_for_skew(raw_con):
    n, ok, suspect, skewed = raw_con.execute(f"""
        WITH m AS ({_messages(raw_con)})
        SELECT count(*),
            count(*) FILTER (WHERE "timestamp" = received_at - (sent_at - original_timestamp)),
            count(*) FILTER (WHERE "timestamp" > received_at + INTERVAL 10 MINUTE
                             OR "timestamp" < TIMESTAMPTZ '2019-06-01'),
            count(*) FILTER (WHERE abs(epoch(original_timestamp) - epoch(received_at)) > 3600
                             AND abs(epoch("timestamp") - epoch(received_at)) < 60)
        FROM m
    """).fetchone()
    assert ok == n  # the loader's formula holds on every row
    assert suspect / n == pytest.approx(DEFECTS["segment_uncorrectable_skew"].rate, rel=0.8)
    assert skewed > 0  # skewed device clocks, corrected timestamp


def test_user_ids_and_shared_devices(raw_con):
    shared = raw_con.execute("""
        SELECT count(*) FROM (SELECT anonymous_id FROM segment_web.identifies GROUP BY 1
                              HAVING count(DISTINCT user_id) >= 2
                              UNION ALL
                              SELECT anonymous_id FROM segment_ios.identifies GROUP BY 1
                              HAVING count(DISTINCT user_id) >= 2
                              UNION ALL
                              SELECT anonymous_id FROM segment_android.identifies GROUP BY 1
                              HAVING count(DISTINCT user_id) >= 2)
    """).fetchone()[0]
    assert shared >= 1
    numeric, ulid, unknown = raw_con.execute("""
        SELECT count(*) FILTER (WHERE regexp_matches(user_id, '^[0-9]+$')),
               count(*) FILTER (WHERE length(user_id) = 26),
               count(*) FILTER (WHERE user_id NOT IN (SELECT CAST(id AS VARCHAR)
                                                      FROM app_mysql.users)
                                  AND user_id NOT IN (SELECT public_id FROM app_mysql.users))
        FROM segment_web.tracks WHERE user_id IS NOT NULL
    """).fetchone()
    assert numeric > 0 and ulid > 0  # both sides of the id migration
    assert unknown == 0
    # every user in users came from an identify, latest traits, one row per user_id
    dup = raw_con.execute("SELECT count(*) - count(DISTINCT id) FROM segment_web.users").fetchone()[
        0
    ]
    assert dup == 0


def test_server_deposits_match_the_ledger(raw_con):
    n, orphans, retries = raw_con.execute("""
        SELECT count(*),
            count(*) FILTER (WHERE CAST(transaction_id AS BIGINT) NOT IN (
                SELECT id FROM app_mysql.transactions WHERE type = 'deposit')),
            count(*) - count(DISTINCT transaction_id)
        FROM (SELECT DISTINCT id, transaction_id FROM segment_server.deposit_completed)
    """).fetchone()
    assert n > 0
    assert orphans == 0
    assert retries >= 1  # semantic duplicates: new id, same transaction_id
    card = raw_con.execute("""
        SELECT count(*) FILTER (WHERE stripe_payment_intent_id NOT LIKE 'pi_%')
        FROM segment_server.deposit_completed WHERE method = 'card'""").fetchone()[0]
    assert card == 0
    assert (
        raw_con.execute(
            "SELECT count(*) FROM segment_server.tracks WHERE anonymous_id IS NOT NULL "
            "AND event <> 'signed_up'"
        ).fetchone()[0]
        == 0
    )


def test_bots_share_of_web_page_views(raw_con):
    n, bots, monitor = raw_con.execute("""
        SELECT count(*),
            count(*) FILTER (WHERE regexp_matches(context_user_agent,
                '(?i)bot|crawler|spider|headless|python-requests|externalhit|slack')),
            max(k)
        FROM segment_web.pages
        LEFT JOIN (SELECT anonymous_id, count(*) AS k FROM segment_web.pages GROUP BY 1) USING (
            anonymous_id)
    """).fetchone()
    assert bots / n == pytest.approx(DEFECTS["segment_bot_pageviews"].rate, rel=0.3)
    assert monitor > 300  # the uptime monitor's runaway session
    idents = raw_con.execute("""
        SELECT count(*) FROM segment_web.identifies WHERE regexp_matches(context_user_agent,
            '(?i)bot|headless|python-requests|externalhit')""").fetchone()[0]
    assert idents == 0


def test_utm_messiness_and_truncation(raw_con):
    tagged, messy, cut = raw_con.execute("""
        SELECT count(*),
            count(*) FILTER (WHERE context_campaign_name LIKE '%+%'
                             OR context_campaign_name LIKE '%\\%20%' ESCAPE '\\'
                             OR context_campaign_name <> lower(context_campaign_name)
                             OR context_campaign_source <> lower(context_campaign_source)
                             OR context_campaign_source = 'fb'
                             OR context_campaign_name LIKE '% '),
            count(*) FILTER (WHERE length(context_page_url) = 512)
        FROM segment_web.pages WHERE context_campaign_source IS NOT NULL
    """).fetchone()
    assert messy / tagged == pytest.approx(DEFECTS["segment_utm_messy"].rate, rel=0.5)
    assert cut >= 1


def test_mobile_identity_defects(raw_con):
    zero, qa = raw_con.execute("""
        SELECT count(DISTINCT anonymous_id) FILTER (
                   WHERE context_device_advertising_id = '00000000-0000-0000-0000-000000000000'),
               count(DISTINCT context_device_id) FILTER (
                   WHERE context_device_id LIKE 'QA-DEVICE-%')
        FROM segment_ios.screens""").fetchone()
    assert zero > 0
    assert 1 <= qa <= 5
    libs = {
        r[0]
        for r in raw_con.execute(
            "SELECT DISTINCT context_library_name FROM segment_android.tracks"
        ).fetchall()
    }
    assert libs == {"analytics-android", "analytics-kotlin"}
    texts = {
        r[0]
        for r in raw_con.execute(
            "SELECT DISTINCT event_text FROM segment_android.signed_up"
        ).fetchall()
    }
    assert texts == {"Signed Up", "signed_up"}
    assert raw_con.execute("SELECT count(*) FROM segment_ios.invested").fetchone()[0] > 0
