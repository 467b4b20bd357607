"""Google Ads raw tables: shape, keys, consistency with the world's sessions, defect rates."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

from finstack.generator import deliver
from finstack.generator.config import DEFECTS, defect_count
from finstack.generator.tables import REGISTRY

S = "google_ads"
TABLES = sorted(t.name for t in REGISTRY.values() if t.schema == S)
HISTORY = [
    "account_history",
    "campaign_history",
    "ad_group_history",
    "ad_history",
    "ad_group_criterion_history",
]
VERSION_FRAMES = ["account", "campaign", "ad_group", "ad", "criterion"]


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


def _at_cutoff(con, table: str, day: dt.date):
    """The state table as it would be delivered through ``day``."""
    t = REGISTRY[f"{S}.{table}"]
    lit = deliver._ts_literal(day + dt.timedelta(days=1))
    return con.execute(f"SELECT * FROM ({deliver._select(t, lit)}) WHERE _arrival_at < {lit}").df()


def test_tables_declared():
    assert set(TABLES) == {
        *HISTORY,
        "account_stats",
        "campaign_stats",
        "ad_group_stats",
        "ad_stats",
        "keyword_stats",
        "search_term_keyword_stats",
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


@pytest.mark.parametrize("table", [t for t in TABLES if t not in HISTORY])
def test_stats_keys_unique(con, table):
    keys = REGISTRY[f"{S}.{table}"].keys
    k = ", ".join(keys)
    dup = _one(
        con, f"SELECT count(*) FROM (SELECT {k} FROM {S}.{table} GROUP BY ALL HAVING count(*) > 1)"
    )[0]
    assert dup == 0


def test_clicks_cover_sessions_per_account_day(con):
    bad = _one(
        con,
        """
        WITH s AS (
            SELECT a.platform_ad_id AS ad_id, c.channel_type,
                CAST(timezone('Europe/London', ts_of(s.start_us)) AS DATE) AS d, count(*) AS n
            FROM _world.sessions AS s JOIN _world.ads AS a USING (ad_idx)
            JOIN _world.campaigns AS c ON c.campaign_idx = a.campaign_idx
            WHERE c.platform = 'google' GROUP BY ALL),
        st AS (SELECT ad_id, date AS d, sum(clicks) AS clicks FROM google_ads.ad_stats GROUP BY ALL)
        SELECT count(*), count(*) FILTER (WHERE coalesce(st.clicks, 0) < s.n)
        FROM s LEFT JOIN st USING (ad_id, d)
        WHERE s.channel_type <> 'PERFORMANCE_MAX'
          AND s.d <= (SELECT max(date) FROM google_ads.ad_stats)""",
    )
    assert bad[0] > 50 and bad[1] == 0


def test_ctr_and_cpc_plausible(con):
    ctr, cpc = _one(
        con,
        """SELECT sum(clicks) / sum(impressions), sum(cost_micros) / 1e6 / sum(clicks)
        FROM google_ads.campaign_stats AS s JOIN google_ads.account_history AS a
          ON a.id = s.customer_id AND a._fivetran_active AND a.currency_code = 'GBP'""",
    )
    assert 0.008 <= ctr <= 0.045
    assert 0.5 <= cpc <= 3.0


def test_levels_are_consistent(con):
    # account = all campaigns; non-PMax campaigns = ad groups = ads
    diff = _one(
        con,
        """
        WITH a AS (SELECT id, date, sum(cost_micros) c, sum(clicks) k FROM google_ads.account_stats
                   GROUP BY ALL),
             c AS (SELECT customer_id AS id, date, sum(cost_micros) c, sum(clicks) k
                   FROM google_ads.campaign_stats GROUP BY ALL)
        SELECT count(*) FROM a FULL JOIN c USING (id, date) WHERE a.c IS DISTINCT FROM c.c
            OR a.k IS DISTINCT FROM c.k""",
    )[0]
    assert diff == 0
    diff = _one(
        con,
        """
        WITH g AS (SELECT campaign_id, date, sum(cost_micros) c, sum(conversions) v
                   FROM google_ads.ad_group_stats GROUP BY ALL),
             d AS (SELECT campaign_id, date, sum(cost_micros) c, sum(conversions) v
                   FROM google_ads.ad_stats GROUP BY ALL)
        SELECT count(*) FROM g FULL JOIN d USING (campaign_id, date)
        WHERE g.c IS DISTINCT FROM d.c OR abs(g.v - d.v) > 1e-6""",
    )[0]
    assert diff == 0


def test_performance_max_only_in_campaign_stats(con):
    pmax = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT id FROM google_ads.campaign_history "
            "WHERE advertising_channel_type = 'PERFORMANCE_MAX'"
        ).fetchall()
    ]
    assert len(pmax) == 1
    ids = ", ".join(map(str, pmax))
    assert (
        _one(con, f"SELECT sum(cost_micros) FROM google_ads.campaign_stats WHERE id IN ({ids})")[0]
        > 0
    )
    for table in ("ad_stats", "ad_group_stats", "keyword_stats"):
        assert (
            _one(con, f"SELECT count(*) FROM google_ads.{table} WHERE campaign_id IN ({ids})")[0]
            == 0
        )


def test_one_test_account(con):
    assert (
        _one(con, "SELECT count(DISTINCT id) FROM google_ads.account_history WHERE test_account")[0]
        == 1
    )
    assert (
        _one(
            con,
            "SELECT count(*) FROM _world.ad_accounts WHERE platform = 'google' AND is_test_account",
        )[0]
        == 1
    )


def test_ids_come_from_the_catalogue(con):
    missing = _one(
        con,
        """SELECT count(*) FROM (SELECT DISTINCT id FROM google_ads.ad_history)
        WHERE id NOT IN (SELECT platform_ad_id FROM _world.ads)""",
    )[0]
    assert missing == 0
    missing = _one(
        con,
        """SELECT count(*) FROM (SELECT DISTINCT campaign_id FROM google_ads.ad_stats)
        WHERE campaign_id NOT IN (SELECT platform_campaign_id FROM _world.campaigns)""",
    )[0]
    assert missing == 0


def test_final_urls_carry_catalogue_utms(con):
    rows = con.execute("""
        SELECT h.final_urls, a.has_utms, a.utm_content, c.utm_campaign, a.landing_path
        FROM google_ads.ad_history AS h JOIN _world.ads AS a ON a.platform_ad_id = h.id
        JOIN _world.campaigns AS c ON c.campaign_idx = a.campaign_idx""").fetchall()
    assert rows
    for urls, has_utms, content, campaign, path in rows:
        assert urls.startswith("['https://www.finstack.co.uk" + path) and urls.endswith("']")
        if has_utms:
            assert f"utm_campaign={quote(campaign)}" in urls and f"utm_content={content}" in urls
        else:
            assert "utm_" not in urls
    share = sum(not r[1] for r in rows) / len(rows)
    assert 0.2 <= share <= 0.8  # auto-tagged (gclid only) ads
    assert (
        _one(
            con,
            "SELECT count(*) FROM google_ads.campaign_history "
            "WHERE tracking_url_template LIKE '%{campaignid}%'",
        )[0]
        > 0
    )


def test_resource_names_after_cutover(con):
    before, after_null, after = _one(
        con,
        """
        SELECT count(*) FILTER (WHERE ad_group IS NULL AND ad_group_id IS NULL),
               count(*) FILTER (WHERE ad_group IS NOT NULL AND ad_group_id IS NULL),
               count(*) FILTER (WHERE ad_group IS NOT NULL)
        FROM google_ads.ad_stats""",
    )
    assert before == 0
    _assert_rate("google_ads_resource_names", after_null, after)
    bad = _one(
        con,
        """SELECT count(*) FROM google_ads.ad_stats
        WHERE ad_group IS NOT NULL AND ad_group NOT LIKE 'customers/' || customer_id || '/adGroups/%'
           OR ad_group_id IS NOT NULL AND ad_group IS NOT NULL
              AND ad_group <> 'customers/' || customer_id || '/adGroups/' || ad_group_id""",
    )[0]
    assert bad == 0
    assert (
        _one(
            con,
            """SELECT count(*) FROM google_ads.keyword_stats
        WHERE keyword_ad_group_criterion NOT LIKE '%~' || ad_group_criterion_criterion_id""",
        )[0]
        == 0
    )


def test_fractional_conversions(con):
    frac, converting = _one(
        con,
        """SELECT count(*) FILTER (WHERE conv_fractional),
        count(*) FROM _world.google_ads_cells WHERE conv_final > 0""",
    )
    assert frac == defect_count("google_ads_fractional_conversions", converting)
    # final (older than 28 days) rows in the raw table
    hits, pop = _one(
        con,
        """SELECT count(*) FILTER (WHERE conversions <> floor(conversions)),
        count(*) FROM google_ads.ad_stats WHERE conversions > 0
          AND date < (SELECT delivered_through - 29 FROM _generator.meta)""",
    )
    _assert_rate("google_ads_fractional_conversions", hits, pop)


def test_restatement_between_syncs(con):
    end = _one(con, "SELECT delivered_through FROM _generator.meta")[0]
    early = _at_cutoff(con, "ad_stats", end - dt.timedelta(days=10))
    late = _at_cutoff(con, "ad_stats", end)
    key = [
        "customer_id",
        "date",
        "ad_id",
        "ad_network_type",
        "device",
        "keyword_ad_group_criterion",
    ]
    m = early.merge(late, on=key, suffixes=("_e", "_l"))
    assert len(m) == len(early)
    assert (m.conversions_l >= m.conversions_e - 1e-9).all()
    assert (m.conversions_l > m.conversions_e).any()  # restated
    assert (m.clicks_l == m.clicks_e).all()
    old = m.date <= pd_date(end - dt.timedelta(days=10 + 29))
    assert (m.loc[old, "conversions_l"] == m.loc[old, "conversions_e"]).all()
    assert (m.loc[old, "_fivetran_synced_l"] == m.loc[old, "_fivetran_synced_e"]).all()
    assert (m.loc[~old, "_fivetran_synced_l"] >= m.loc[~old, "_fivetran_synced_e"]).all()


def pd_date(d: dt.date):
    import pandas as pd

    return pd.Timestamp(d)


def test_zero_rows(con):
    kinds = dict(
        con.execute("SELECT zero_kind, count(*) FROM _world.google_ads_cells GROUP BY 1").fetchall()
    )
    total = sum(kinds.values())
    _assert_rate("google_ads_zero_rows", kinds.get(1, 0) + kinds.get(2, 0), total)
    assert kinds.get(1, 0) > 0 and kinds.get(2, 0) > 0
    assert (
        _one(
            con,
            "SELECT count(*) FROM google_ads.ad_stats WHERE impressions > 0 AND cost_micros = 0",
        )[0]
        > 0
    )
    # stray-click rows fall on days the campaign's history shows PAUSED
    not_paused = _one(
        con,
        """
        WITH z AS (SELECT DISTINCT campaign_id, day_num FROM _world.google_ads_cells
                   WHERE zero_kind = 2),
        v AS (SELECT id, updated_at, status FROM google_ads.campaign_history)
        SELECT count(*) FROM z WHERE (
            SELECT arg_max(status, updated_at) FROM v
            WHERE v.id = z.campaign_id
              AND v.updated_at <= ts_of((z.day_num + 1) * 86400000000) - INTERVAL 2 HOUR) <> 'PAUSED'
          AND day_num < (SELECT date_diff('day', DATE '1970-01-01', delivered_through)
                         FROM _generator.meta)""",
    )[0]
    assert not_paused == 0


def test_history_versions_and_defects(con):
    n_ent, n_same, n_active = 0, 0, 0
    for f in VERSION_FRAMES:
        e, s, a, vmax = _one(
            con,
            f"""SELECT count(DISTINCT ent),
            count(DISTINCT ent) FILTER (WHERE same_updated_at),
            count(DISTINCT ent) FILTER (WHERE active_defect > 0), max(n_versions)
            FROM _world.google_ads_{f}_versions""",
        )
        n_ent, n_same, n_active = n_ent + e, n_same + s, n_active + a
        assert vmax <= 6
    assert n_same == defect_count("google_ads_history_versions", n_ent)
    assert n_active == defect_count("google_ads_history_active_flag", n_ent)
    # raw: ids without exactly one active row are the active-flag defects
    odd = 0
    for t in HISTORY:
        odd += _one(
            con,
            f"""SELECT count(*) FROM (SELECT id FROM google_ads.{t} GROUP BY id
            HAVING count(*) FILTER (WHERE _fivetran_active) <> 1)""",
        )[0]
    assert 0 < odd <= n_active
    dups = sum(
        _one(
            con,
            f"""SELECT count(*) FROM (SELECT id, updated_at FROM google_ads.{t}
        GROUP BY ALL HAVING count(*) > 1)""",
        )[0]
        for t in HISTORY
    )
    assert 0 < dups <= n_same


def test_search_terms_add_up(con):
    bad = _one(
        con,
        """
        WITH k AS (SELECT date, ad_id, device, ad_group_criterion_criterion_id AS c,
                          sum(clicks) k, sum(impressions) i FROM google_ads.keyword_stats GROUP BY ALL),
             t AS (SELECT date, ad_id, device, ad_group_criterion_criterion_id AS c,
                          sum(clicks) k, sum(impressions) i
                   FROM google_ads.search_term_keyword_stats GROUP BY ALL)
        SELECT count(*) FROM k JOIN t USING (date, ad_id, device, c) WHERE k.k <> t.k""",
    )[0]
    assert bad == 0
    assert (
        _one(
            con,
            "SELECT count(*) FROM google_ads.search_term_keyword_stats WHERE clicks > impressions",
        )[0]
        == 0
    )
