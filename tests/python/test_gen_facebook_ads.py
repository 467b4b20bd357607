"""Facebook Ads raw tables: shape, keys, consistency with the world's sessions, defect rates."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from finstack.generator import deliver
from finstack.generator.config import DEFECTS, defect_count
from finstack.generator.tables import REGISTRY

S = "facebook_ads"
TABLES = sorted(t.name for t in REGISTRY.values() if t.schema == S)
HISTORY = [
    "account_history",
    "campaign_history",
    "ad_set_history",
    "ad_history",
    "creative_history",
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
    assert set(TABLES) == {*HISTORY, "basic_ad", "basic_ad_actions", "basic_ad_action_values"}


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


@pytest.mark.parametrize(
    "table", ["basic_ad", "basic_ad_actions", "basic_ad_action_values", "creative_history"]
)
def test_keys_unique(con, table):
    k = ", ".join(REGISTRY[f"{S}.{table}"].keys)
    assert (
        _one(
            con,
            f"SELECT count(*) FROM (SELECT {k} FROM {S}.{table} GROUP BY ALL HAVING count(*) > 1)",
        )[0]
        == 0
    )


def test_ad_id_type_mismatch_joins_after_cast(con):
    types = dict(
        con.execute("""SELECT table_name, data_type FROM information_schema.columns
        WHERE table_schema = 'facebook_ads' AND column_name IN ('ad_id', 'id')
          AND table_name IN ('basic_ad', 'ad_history')""").fetchall()
    )
    assert types == {"basic_ad": "VARCHAR", "ad_history": "BIGINT"}
    orphans = _one(
        con,
        """SELECT count(*) FROM facebook_ads.basic_ad
        WHERE CAST(ad_id AS BIGINT) NOT IN (SELECT id FROM facebook_ads.ad_history)""",
    )[0]
    assert orphans == 0


def test_clicks_cover_sessions_per_account_day(con):
    n, bad = _one(
        con,
        """
        WITH s AS (
            SELECT CAST(a.platform_ad_id AS VARCHAR) AS ad_id,
                CAST(timezone('America/New_York', ts_of(s.start_us)) AS DATE) AS d, count(*) AS n
            FROM _world.sessions AS s JOIN _world.ads AS a USING (ad_idx)
            JOIN _world.campaigns AS c ON c.campaign_idx = a.campaign_idx
            WHERE c.platform = 'facebook' GROUP BY ALL)
        SELECT count(*), count(*) FILTER (WHERE coalesce(b.inline_link_clicks, 0) < s.n)
        FROM s LEFT JOIN facebook_ads.basic_ad AS b ON b.ad_id = s.ad_id AND b.date = s.d
        WHERE s.d <= (SELECT max(date) FROM facebook_ads.basic_ad)""",
    )
    assert n > 50 and bad == 0


def test_spend_and_ctr_plausible(con):
    ctr, cpc, freq = _one(
        con,
        """SELECT sum(inline_link_clicks) / sum(impressions),
        sum(spend) / sum(inline_link_clicks), min(frequency) FROM facebook_ads.basic_ad""",
    )
    assert 0.008 <= ctr <= 0.045
    assert 0.5 * 1.27 <= cpc <= 3.0 * 1.27  # USD
    assert freq >= 1.0


def test_link_click_action_matches_basic_ad(con):
    bad = _one(
        con,
        """SELECT count(*) FROM facebook_ads.basic_ad AS b
        LEFT JOIN facebook_ads.basic_ad_actions AS a
          ON a.ad_id = b.ad_id AND a.date = b.date AND a.action_type = 'link_click'
        WHERE coalesce(a.value, 0) <> b.inline_link_clicks
           OR a.inline IS DISTINCT FROM (CASE WHEN b.inline_link_clicks > 0
                                              THEN b.inline_link_clicks END)""",
    )[0]
    assert bad == 0
    assert (
        _one(
            con,
            """SELECT count(*) FROM facebook_ads.basic_ad_actions
        WHERE value <> coalesce(_1_d_view, 0) + _7_d_click""",
        )[0]
        == 0
    )


def _utms(url: str | None, tags: str | None) -> tuple[dict, dict]:
    link = {k: v[0] for k, v in parse_qs(urlsplit(url or "").query).items() if k.startswith("utm_")}
    tag = {t["key"]: t["value"] for t in json.loads(tags)} if tags else {}
    return link, tag


def test_url_sources(con):
    rows = con.execute("SELECT page_link, url_tags FROM facebook_ads.creative_history").fetchall()
    n = len(rows)
    tags_only = link_only = conflict = 0
    for page_link, url_tags in rows:
        link, tag = _utms(page_link, url_tags)
        assert link or tag
        tags_only += bool(tag) and not link
        link_only += bool(link) and not tag
        conflict += bool(link) and bool(tag) and link != tag
    _assert_rate("facebook_ads_url_tags_only", tags_only, n)
    _assert_rate("facebook_ads_page_link_only", link_only, n)
    _assert_rate("facebook_ads_url_conflict", conflict, n)
    # exact counts over every simulated version (some arrive after the cut-off)
    modes = dict(
        con.execute(
            "SELECT url_mode, count(*) FROM _world.facebook_ads_creative_versions GROUP BY 1"
        ).fetchall()
    )
    total = sum(modes.values())
    assert modes[1] == defect_count("facebook_ads_url_tags_only", total)
    assert modes[2] == defect_count("facebook_ads_page_link_only", total)
    assert modes[3] == defect_count("facebook_ads_url_conflict", total)


def test_url_tags_carry_the_catalogue_utms(con):
    rows = con.execute("""SELECT h.url_tags, c.utm_campaign, a.utm_content
        FROM facebook_ads.creative_history AS h
        JOIN _world.facebook_ads_creative_versions AS v
          ON v.id = h.id AND h._fivetran_synced = ts_of(v.arrival_us)
        JOIN _world.ads AS a ON a.ad_idx = v.ad_idx
        JOIN _world.campaigns AS c ON c.campaign_idx = a.campaign_idx
        WHERE h.url_tags IS NOT NULL""").fetchall()
    assert rows
    for tags, campaign, content in rows:
        tag = {t["key"]: t["value"] for t in json.loads(tags)}
        assert tag["utm_campaign"] == campaign and tag["utm_content"] == content


def test_restatement_between_syncs(con):
    end = _one(con, "SELECT delivered_through FROM _generator.meta")[0]

    def at(day):
        t = REGISTRY[f"{S}.basic_ad_actions"]
        lit = deliver._ts_literal(day + dt.timedelta(days=1))
        return con.execute(
            f"SELECT * FROM ({deliver._select(t, lit)}) WHERE _arrival_at < {lit}"
        ).df()

    early, late = at(end - dt.timedelta(days=7)), at(end)
    m = early.merge(late, on=["ad_id", "date", "index"], suffixes=("_e", "_l"))
    assert len(m) == len(early)
    assert (m.action_type_e == m.action_type_l).all()
    assert (m.value_l >= m.value_e).all()
    conv = m.action_type_e.str.contains("conversion")
    assert (m.loc[conv, "value_l"] > m.loc[conv, "value_e"]).any()
    assert (m.loc[~conv, "value_l"] == m.loc[~conv, "value_e"]).all()
    old = m.date <= pd.Timestamp(end - dt.timedelta(days=7 + 29))
    assert (m.loc[old, "value_l"] == m.loc[old, "value_e"]).all()


def test_zero_rows(con):
    kinds = dict(
        con.execute(
            "SELECT zero_kind, count(*) FROM _world.facebook_ads_cells GROUP BY 1"
        ).fetchall()
    )
    _assert_rate("facebook_ads_zero_rows", kinds.get(1, 0) + kinds.get(2, 0), sum(kinds.values()))
    assert (
        _one(con, "SELECT count(*) FROM facebook_ads.basic_ad WHERE impressions > 0 AND spend = 0")[
            0
        ]
        > 0
    )


def test_history_versions(con):
    n_ent = n_same = 0
    for f in ["account", "campaign", "ad_set", "ad", "creative"]:
        e, s, vmax = _one(
            con,
            f"""SELECT count(DISTINCT ent),
            count(DISTINCT ent) FILTER (WHERE same_updated_at), max(n_versions)
            FROM _world.facebook_ads_{f}_versions""",
        )
        n_ent, n_same = n_ent + e, n_same + s
        assert 1 <= vmax <= 6
    assert n_same == defect_count("facebook_ads_history_versions", n_ent)
    dups = sum(
        _one(
            con,
            f"""SELECT count(*) FROM (SELECT id, updated_time FROM facebook_ads.{t}
        GROUP BY ALL HAVING count(*) > 1)""",
        )[0]
        for t in ["campaign_history", "ad_set_history", "ad_history"]
    )
    assert dups <= n_same
