"""LinkedIn Ads raw tables: shape, keys, UTC days, old/new columns, URL fields, defect rates."""

from __future__ import annotations

import pytest

from finstack.generator import deliver
from finstack.generator.config import DEFECTS, defect_count
from finstack.generator.tables import REGISTRY

S = "linkedin_ads"
TABLES = sorted(t.name for t in REGISTRY.values() if t.schema == S)
METRICS = [
    "clicks",
    "impressions",
    "cost_in_local_currency",
    "cost_in_usd",
    "conversion_value_in_local_currency",
    "external_website_conversions",
    "landing_page_clicks",
    "total_engagements",
    "one_click_leads",
    "likes",
]


@pytest.fixture()
def con(raw_con):
    seed = raw_con.execute("SELECT seed FROM _generator.meta").fetchone()[0]
    deliver.install_macros(raw_con, seed)
    return raw_con


def _one(con, sql: str):
    return con.execute(sql).fetchone()


def _assert_rate(key: str, hits: int, population: int) -> None:
    d = DEFECTS[key]
    assert population > 0
    expected = defect_count(key, population) / population
    assert abs(hits / population - expected) <= d.tolerance * expected, (key, hits, population)


def test_tables_declared():
    assert set(TABLES) == {
        "account_history",
        "campaign_group_history",
        "campaign_history",
        "creative_history",
        "ad_analytics_by_creative",
        "ad_analytics_by_campaign",
    }


@pytest.mark.parametrize("table", TABLES)
def test_columns_match_the_contract(con, table):
    norm = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}
    declared = [
        (c.name, norm.get(c.duckdb_type, c.duckdb_type))
        for c in REGISTRY[f"{S}.{table}"].landed_columns
    ]
    landed = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [S, table],
    ).fetchall()
    assert landed == declared
    assert _one(con, f"SELECT count(*) FROM {S}.{table}")[0] > 0


@pytest.mark.parametrize("table", ["ad_analytics_by_creative", "ad_analytics_by_campaign"])
def test_analytics_keys_and_utc_days(con, table):
    k = ", ".join(REGISTRY[f"{S}.{table}"].keys)
    assert (
        _one(
            con,
            f"SELECT count(*) FROM (SELECT {k} FROM {S}.{table} GROUP BY ALL HAVING count(*) > 1)",
        )[0]
        == 0
    )
    assert (
        _one(con, f"SELECT count(*) FROM {S}.{table} WHERE day <> date_trunc('day', day)")[0] == 0
    )


def test_clicks_cover_sessions_per_utc_day(con):
    n, bad, over = _one(
        con,
        """
        WITH s AS (
            SELECT a.platform_ad_id AS creative_id, CAST(ts_of(s.start_us) AS DATE) AS d,
                count(*) AS n
            FROM _world.sessions AS s JOIN _world.ads AS a USING (ad_idx)
            JOIN _world.campaigns AS c ON c.campaign_idx = a.campaign_idx
            WHERE c.platform = 'linkedin' GROUP BY ALL)
        SELECT count(*), count(*) FILTER (WHERE coalesce(b.landing_page_clicks, 0) < s.n),
            count(*) FILTER (WHERE b.clicks < b.landing_page_clicks)
        FROM s LEFT JOIN linkedin_ads.ad_analytics_by_creative AS b
          ON b.creative_id = s.creative_id AND CAST(b.day AS DATE) = s.d
        WHERE s.d <= (SELECT max(CAST(day AS DATE)) FROM linkedin_ads.ad_analytics_by_creative)""",
    )
    assert n > 20 and bad == 0 and over == 0


def test_campaign_analytics_sum_creatives(con):
    sums = ", ".join(f"sum({m}) AS {m}" for m in METRICS)
    diff = " OR ".join(f"c.{m} IS DISTINCT FROM k.{m}" for m in METRICS)
    bad = _one(
        con,
        f"""
        WITH k AS (SELECT h.campaign_id, a.day, {sums}
                   FROM linkedin_ads.ad_analytics_by_creative AS a
                   JOIN (SELECT DISTINCT id, campaign_id FROM linkedin_ads.creative_history) AS h
                     ON h.id = a.creative_id GROUP BY ALL)
        SELECT count(*) FROM linkedin_ads.ad_analytics_by_campaign AS c
        FULL JOIN k USING (campaign_id, day) WHERE {diff}""",
    )[0]
    assert bad == 0


def test_costs_in_two_currencies(con):
    lo, hi, cpc = _one(
        con,
        """SELECT min(cost_in_usd / cost_in_local_currency),
        max(cost_in_usd / cost_in_local_currency), sum(cost_in_local_currency) / sum(clicks)
        FROM linkedin_ads.ad_analytics_by_creative WHERE cost_in_local_currency > 0""",
    )
    assert 1.0 < lo <= hi < 1.2
    assert 0.3 <= cpc <= 3.6


def test_one_campaign_group_per_two_campaigns(con):
    rows = con.execute("""SELECT campaign_group_id, count(DISTINCT id)
        FROM linkedin_ads.campaign_history GROUP BY 1""").fetchall()
    assert rows and all(1 <= n <= 2 for _, n in rows)
    assert (
        _one(
            con,
            """SELECT count(*) FROM (SELECT DISTINCT campaign_group_id
        FROM linkedin_ads.campaign_history) WHERE campaign_group_id NOT IN
        (SELECT id FROM linkedin_ads.campaign_group_history)""",
        )[0]
        == 0
    )


def test_old_and_new_creative_columns(con):
    old, new, both, other, n = _one(
        con,
        """SELECT
        count(*) FILTER (WHERE last_modified_time IS NOT NULL AND last_modified_at IS NULL
                         AND status IS NOT NULL AND intended_status IS NULL),
        count(*) FILTER (WHERE last_modified_time IS NULL AND last_modified_at IS NOT NULL
                         AND status IS NULL AND intended_status IS NOT NULL),
        count(*) FILTER (WHERE last_modified_time IS NOT NULL AND last_modified_at IS NOT NULL),
        count(*) FILTER (WHERE last_modified_time IS NULL AND last_modified_at IS NULL),
        count(*) FROM linkedin_ads.creative_history""",
    )
    assert old > 0 and new > 0 and other == 0 and old + new + both == n
    _assert_rate("linkedin_ads_both_columns", both, n)
    world_both, total = _one(
        con,
        "SELECT count(*) FILTER (WHERE column_era = 2), count(*) "
        "FROM _world.linkedin_ads_creative_versions",
    )
    assert world_both == defect_count("linkedin_ads_both_columns", total)
    latest_old, first_new = _one(
        con,
        """SELECT
        max(last_modified_time) FILTER (WHERE last_modified_at IS NULL),
        min(last_modified_at) FILTER (WHERE last_modified_time IS NULL)
        FROM linkedin_ads.creative_history""",
    )
    assert latest_old < first_new


def test_url_fields(con):
    click, text, spot, bad, n = _one(
        con,
        """SELECT count(click_uri), count(text_ad_landing_page),
        count(spotlight_landing_page),
        count(*) FILTER (WHERE (click_uri IS NOT NULL)::INT + (text_ad_landing_page IS NOT NULL)::INT
                               + (spotlight_landing_page IS NOT NULL)::INT <> 1),
        count(*) FROM linkedin_ads.creative_history""",
    )
    assert bad == 0
    _assert_rate("linkedin_ads_url_text_ad", text, n)
    _assert_rate("linkedin_ads_url_spotlight", spot, n)
    assert click + text + spot == n
    w_text, w_spot, total = _one(
        con,
        """SELECT count(*) FILTER (WHERE url_field = 1),
        count(*) FILTER (WHERE url_field = 2), count(*) FROM _world.linkedin_ads_creative_versions""",
    )
    assert w_text == defect_count("linkedin_ads_url_text_ad", total)
    assert w_spot == min(defect_count("linkedin_ads_url_spotlight", total), total - w_text)
    missing = _one(
        con,
        """SELECT count(*) FROM linkedin_ads.creative_history AS h
        JOIN _world.ads AS a ON a.platform_ad_id = h.id
        WHERE coalesce(click_uri, text_ad_landing_page, spotlight_landing_page)
              NOT LIKE '%utm_content=' || a.utm_content""",
    )[0]
    assert missing == 0


def test_zero_rows_and_restatement(con):
    kinds = dict(
        con.execute(
            "SELECT zero_kind, count(*) FROM _world.linkedin_ads_cells GROUP BY 1"
        ).fetchall()
    )
    _assert_rate("linkedin_ads_zero_rows", kinds.get(1, 0) + kinds.get(2, 0), sum(kinds.values()))
    # recent days are reported below their final conversions
    recent, final = _one(
        con,
        """SELECT sum(a.external_website_conversions),
        sum(c.post_click_final + c.post_view_final)
        FROM linkedin_ads.ad_analytics_by_creative AS a
        JOIN _world.linkedin_ads_cells AS c
          ON c.platform_ad_id = a.creative_id AND CAST(a.day AS DATE) = DATE '1970-01-01' + c.day_num::INT
        WHERE a.day >= (SELECT (delivered_through - 10)::TIMESTAMPTZ FROM _generator.meta)""",
    )
    assert final > 0 and recent < final
    old_diff = _one(
        con,
        """SELECT count(*) FROM linkedin_ads.ad_analytics_by_creative AS a
        JOIN _world.linkedin_ads_cells AS c
          ON c.platform_ad_id = a.creative_id AND CAST(a.day AS DATE) = DATE '1970-01-01' + c.day_num::INT
        WHERE a.day < (SELECT (delivered_through - 29)::TIMESTAMPTZ FROM _generator.meta)
          AND a.external_website_conversions <> c.post_click_final + c.post_view_final""",
    )[0]
    assert old_diff == 0


def test_history_versions(con):
    n_ent = n_same = 0
    for f in ["account", "campaign_group", "campaign", "creative"]:
        e, s, vmax = _one(
            con,
            f"""SELECT count(DISTINCT ent),
            count(DISTINCT ent) FILTER (WHERE same_updated_at), max(n_versions)
            FROM _world.linkedin_ads_{f}_versions""",
        )
        n_ent, n_same = n_ent + e, n_same + s
        assert 1 <= vmax <= 6
    assert n_same == defect_count("linkedin_ads_history_versions", n_ent)
