"""Facebook Ads (Fivetran, pre-built ``basic_ad`` report): history tables and daily stats.

World frames (all ``facebook_ads_*``):
- ``facebook_ads_cells``: one row per ad and account-zone (America/New_York)
  day; ``inline_link_clicks`` >= the world's sessions of that ad on that day.
- ``facebook_ads_actions`` / ``facebook_ads_action_values``: the action rows of
  each cell with final counts (conversions are restated for 28 days in SQL).
- ``facebook_ads_pauses``: campaign pause windows.
- ``facebook_ads_{account,campaign,ad_set,ad,creative}_versions``: history rows;
  creative versions carry ``landing_url`` (what the browser opens: ``page_link``
  plus ``url_tags``) and ``url_mode`` (0 both agree, 1 url_tags only,
  2 page_link only, 3 conflicting).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from finstack.generator.config import US_PER_DAY, Defect, register_defects
from finstack.generator.sources import _ads_common as ac
from finstack.generator.tables import RawTable, cols, register
from finstack.generator.world import World

S = "facebook_ads"
TZ = "America/New_York"
URL_KEYS = [
    "facebook_ads_url_tags_only",
    "facebook_ads_page_link_only",
    "facebook_ads_url_conflict",
]

register_defects(
    Defect(
        "facebook_ads_history_versions",
        S,
        "1–6 versions per entity; two versions of an entity share updated_time",
        0.015,
        "entities",
    ),
    Defect(
        "facebook_ads_type_mismatch",
        S,
        "basic_ad.ad_id is a string, ad_history.id an int",
        1.0,
        "rows",
    ),
    Defect(
        "facebook_ads_url_tags_only",
        S,
        "UTMs only in creative url_tags",
        0.30,
        "creative_history rows",
    ),
    Defect(
        "facebook_ads_page_link_only",
        S,
        "UTMs only in creative page_link",
        0.30,
        "creative_history rows",
    ),
    Defect(
        "facebook_ads_url_conflict",
        S,
        "UTMs in page_link conflict with url_tags",
        0.05,
        "creative_history rows",
    ),
    Defect(
        "facebook_ads_restatement",
        S,
        "conversion actions of the last 1–28 days change between syncs",
        1.0,
        "syncs",
    ),
    Defect(
        "facebook_ads_zero_rows",
        S,
        "impressions > 0 with spend 0; paused campaigns with a stray click",
        0.01,
        "basic_ad rows",
    ),
)


def simulate(world: World) -> None:
    """Facebook ids, history versions, daily cells and their actions."""
    rng = world.rng("facebook_ads")
    cat = ac.ad_catalogue(world, "facebook")
    account_id = int(rng.integers(10**14, 10**15))
    cat["account_id"] = account_id
    cat["creative_id"] = 12 * 10**12 + cat.platform_ad_id  # stable, derived from the ad's id
    cells, pauses = ac.ad_day_cells(world, rng, cat, TZ, "facebook_ads_zero_rows")
    n = len(cells)
    fx = cells.currency.map(ac.FX_FROM_GBP).to_numpy()
    cells["spend"] = np.round(cells.cost_gbp.to_numpy() * fx, 2)
    freq = rng.uniform(1.0, 1.6, n)
    cells["reach"] = np.maximum(1, np.round(cells.impressions / freq)).astype(np.int64)
    cells["value_per_conv"] = np.round(rng.lognormal(np.log(150), 0.5, n) * fx, 2)
    world.add("facebook_ads_cells", cells)
    world.add("facebook_ads_pauses", pauses)
    actions, values = _actions(world.rng("facebook_ads_actions"), cells)
    world.add("facebook_ads_actions", actions)
    world.add("facebook_ads_action_values", values)
    _history(world, cat, account_id, pauses)


def _actions(rng: np.random.Generator, cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Action rows per cell: link clicks, landing page views, pixel conversions, ..."""
    clicks = cells.clicks.to_numpy()
    conv = cells.conv_final.to_numpy()
    name = cells.campaign_name.to_numpy().astype(str)
    deposits = rng.binomial(conv, 0.4)
    lead_forms = np.where(np.char.find(name, "Lookalike") >= 0, rng.poisson(clicks * 0.03), 0)
    video = np.where(np.char.find(name, "Video") >= 0, rng.poisson(cells.impressions * 0.2), 0)
    kinds = [  # action type, final count, restated (a conversion)
        ("link_click", clicks, False),
        ("landing_page_view", cells.sessions.to_numpy(), False),
        ("offsite_conversion.fb_pixel_lead", conv, True),
        ("offsite_conversion.fb_pixel_custom", deposits, True),
        ("onsite_conversion.lead_grouped", lead_forms, True),
        ("video_view", video, False),
        ("post_engagement", clicks + rng.poisson(cells.impressions * 0.004), False),
    ]
    parts = []
    for action, count, restated in kinds:  # seven action types
        keep = np.flatnonzero(count > 0)
        view = np.where(restated, rng.binomial(count[keep], 0.2), 0)
        parts.append(
            pd.DataFrame(
                {
                    "cell_idx": cells.cell_idx.to_numpy()[keep],
                    "action_type": action,
                    "final_value": count[keep].astype(np.int64),
                    "view_final": view.astype(np.int64),
                    "click_final": (count[keep] - view).astype(np.int64),
                    "restated": restated,
                    "is_link_click": action == "link_click",
                }
            )
        )
    actions = pd.concat(parts, ignore_index=True)
    order = {k[0]: i for i, k in enumerate(kinds)}
    actions["_o"] = actions.action_type.map(order)
    actions = actions.sort_values(["cell_idx", "_o"]).drop(columns="_o").reset_index(drop=True)
    actions["index"] = actions.groupby("cell_idx").cumcount().astype(np.int64)
    # values: the deposits' amounts (and leads valued at a flat amount)
    vals = actions.loc[
        actions.action_type.isin(
            ["offsite_conversion.fb_pixel_custom", "offsite_conversion.fb_pixel_lead"]
        )
    ].copy()
    per = cells.set_index("cell_idx").value_per_conv.loc[vals.cell_idx.to_numpy()].to_numpy()
    unit = np.where(vals.action_type == "offsite_conversion.fb_pixel_custom", per, 5.0)
    vals["unit_value"] = np.round(unit, 2)
    vals["index"] = vals.groupby("cell_idx").cumcount().astype(np.int64)
    return actions, vals.reset_index(drop=True)


def _history(world: World, cat: pd.DataFrame, account_id: int, pauses: pd.DataFrame) -> None:
    rng = world.rng("facebook_ads_history")
    win = world.window
    hists: dict[str, pd.DataFrame] = {}
    acct = world["ad_accounts"].loc[lambda a: a.platform == "facebook"].reset_index(drop=True)
    acct["id"] = account_id
    created = np.array([win.start_us - 700 * US_PER_DAY])
    h = ac.history_frame(rng, acct, created, win.horizon_us)
    h["name"] = ac.rename(h.account_name.to_numpy(), h.renames_after.to_numpy())
    h["account_status"] = "ACTIVE"
    h["timezone_offset_hours_utc"] = ac.utc_offset_hours(h.updated_us.to_numpy(), TZ)
    h["business_country_code"] = "GB"
    hists["facebook_ads_account_versions"] = h

    camps = cat.drop_duplicates("campaign_idx").reset_index(drop=True)
    forced, is_paused = ac.forced_and_paused(pauses, camps.campaign_idx.to_numpy())
    created = win.start_us - (rng.uniform(20, 300, len(camps)) * US_PER_DAY).astype(np.int64)
    h = ac.history_frame(rng, camps, created, win.horizon_us, forced)
    h["id"] = h.platform_campaign_id
    h["name"] = ac.rename(h.campaign_name.to_numpy(), h.renames_after.to_numpy())
    h["status"] = np.where(is_paused(h), "PAUSED", "ACTIVE")
    # campaign budget optimisation on two campaigns: budget on the campaign, not the ad sets
    cbo = h.campaign_name.isin(["Spring Promo", "Lookalike Investors"]).to_numpy()
    mult = np.array([1.0, 0.8, 1.25, 0.6, 1.5, 0.9])[np.minimum(h.edits_after.to_numpy(), 5)]
    budget = (h.daily_budget_major.to_numpy() * 100 * mult).round().astype(np.int64)
    h["daily_budget"] = pd.Series(budget, dtype="Int64").where(cbo)
    remaining = (budget * rng.uniform(0, 1, len(h))).astype(np.int64)
    h["budget_remaining"] = pd.Series(remaining, dtype="Int64").where(cbo)
    hists["facebook_ads_campaign_versions"] = h

    sets = cat.drop_duplicates("ad_group_idx").reset_index(drop=True)
    created = win.start_us - (rng.uniform(10, 200, len(sets)) * US_PER_DAY).astype(np.int64)
    h = ac.history_frame(rng, sets, created, win.horizon_us)
    h["id"] = h.platform_ad_group_id
    h["name"] = ac.rename(h.ad_group_name.to_numpy(), h.renames_after.to_numpy())
    h["status"] = "ACTIVE"
    h["bid_strategy"] = "LOWEST_COST_WITHOUT_CAP"
    h["optimization_goal"] = np.where(h.channel_type == "REACH", "REACH", "OFFSITE_CONVERSIONS")
    set_cbo = h.campaign_name.isin(["Spring Promo", "Lookalike Investors"]).to_numpy()
    mult = np.array([1.0, 0.8, 1.25, 0.6, 1.5, 0.9])[np.minimum(h.edits_after.to_numpy(), 5)]
    budget = (h.daily_budget_major.to_numpy() * 50 * mult).round().astype(np.int64)
    h["daily_budget"] = pd.Series(budget, dtype="Int64").where(~set_cbo)
    hists["facebook_ads_ad_set_versions"] = h

    created = win.start_us - (rng.uniform(5, 150, len(cat)) * US_PER_DAY).astype(np.int64)
    h = ac.history_frame(rng, cat, created, win.horizon_us)
    h["id"] = h.platform_ad_id
    h["name"] = ac.rename(h.ad_name.to_numpy(), h.renames_after.to_numpy())
    hists["facebook_ads_ad_versions"] = h

    h = ac.history_frame(rng, cat, created, win.horizon_us)
    h["id"] = h.creative_id
    _creative_urls(rng, h)
    hists["facebook_ads_creative_versions"] = h

    hists = ac.history_defects(rng, hists, win.end_us, "facebook_ads_history_versions")
    for name, frame in hists.items():
        world.add(name, frame)


def _creative_urls(rng: np.random.Generator, h: pd.DataFrame) -> None:
    """page_link / url_tags per creative version: UTMs in one, the other, both or conflicting."""
    mode = ac.pick_counts(rng, len(h), URL_KEYS) + 1  # 0 both, 1 tags, 2 link, 3 conflict
    base = ac.SITE + h.landing_path.astype(str)
    rows = list(zip(h.utm_source, h.utm_medium, h.utm_campaign, h.utm_content, strict=True))
    q = np.array([ac.utm_query(*r) for r in rows], dtype=object)  # one per version: small
    # a stale campaign tag left in the link by an earlier edit
    stale = np.array(
        [ac.utm_query("fb", r[1], r[2].replace(" ", "_") + "_2025", r[3]) for r in rows],
        dtype=object,
    )
    tags = np.array(
        [
            json.dumps(
                [
                    {"key": k, "value": v, "type": "static"}
                    for k, v in zip(
                        ["utm_source", "utm_medium", "utm_campaign", "utm_content"], r, strict=True
                    )
                ]
            )
            for r in rows
        ],
        dtype=object,
    )
    link_q = np.select([mode == 1, mode == 3], [None, stale], q)
    h["url_mode"] = mode
    h["page_link"] = np.where(pd.isna(link_q), base, base + "?" + link_q.astype(str))
    h["url_tags"] = np.where(mode == 2, None, tags)
    sep = np.where(np.char.find(h.page_link.to_numpy().astype(str), "?") >= 0, "&", "?")
    h["landing_url"] = np.where(mode == 2, h.page_link, h.page_link + sep + q)
    h["name"] = "Creative for " + h.ad_name.astype(str)
    dynamic = h.campaign_name.eq("Retargeting Website Visitors").to_numpy()
    h["template_page_link"] = np.where(dynamic, h.page_link, None)
    h["object_story_link_data_link"] = np.where(dynamic, None, h.page_link)
    feed = h.campaign_name.eq("Lookalike Investors").to_numpy()
    h["asset_feed_spec_link_urls"] = np.where(
        feed, '[{"website_url": "' + h.page_link.astype(str) + '"}]', None
    )


# ---------------------------------------------------------------------------
# raw tables

SYNC_NS = "facebook_ads_sync"
FRAC = ac.restate_frac_sql("c.day_num")
TIMES = ac.stats_times_sql(SYNC_NS, "c.day_num")
HIST_TAIL = "ts_of(arrival_us) AS _fivetran_synced, ts_of(arrival_us) AS _arrival_at"
HIST_DESC = "One row per version; two versions may share the same time (defect)."
TIMES_A = ac.stats_times_sql(SYNC_NS, "day_num")
DATE = "DATE '1970-01-01' + CAST(c.day_num AS INTEGER)"
DATE_A = "DATE '1970-01-01' + CAST(day_num AS INTEGER)"
ACTION_COLS = (
    "_fivetran_id, ad_id:str, date:date, index:int, action_type, value:float, "
    "_1_d_view:float, _7_d_click:float, inline:float, _fivetran_synced:ts"
)
# counts as of the cut-off: conversions grow until final at 28 days
ACTION_ASOF = f"""
    CASE WHEN a.restated THEN floor(a.click_final * {FRAC}) ELSE a.click_final END AS click_asof,
    CASE WHEN a.restated THEN floor(a.view_final * {FRAC}) ELSE a.view_final END AS view_asof"""

register(
    RawTable(
        schema=S,
        name="account_history",
        columns=cols(
            "id:int, name, account_status, currency, timezone_name, "
            "timezone_offset_hours_utc:float, business_country_code, created_time:ts, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT id, name, account_status, currency, time_zone AS timezone_name,
    timezone_offset_hours_utc, business_country_code, ts_of(created_us) AS created_time, {HIST_TAIL}
FROM _world.facebook_ads_account_versions""",
        description="Ad account versions (keyed by _fivetran_synced; the UTC offset follows DST).",
        mode="state",
        grain="account version",
        keys=["id", "_fivetran_synced"],
    ),
    RawTable(
        schema=S,
        name="campaign_history",
        columns=cols(
            "id:int, updated_time:ts, created_time:ts, account_id:int, name, status, "
            "start_time:ts, stop_time:ts, daily_budget:int, lifetime_budget:int, "
            "budget_remaining:int, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_time, ts_of(created_us) AS created_time,
    account_id, name, status, ts_of(created_us) AS start_time, NULL AS stop_time, daily_budget,
    NULL AS lifetime_budget, budget_remaining, {HIST_TAIL}
FROM _world.facebook_ads_campaign_versions""",
        description="Campaign versions; budgets in minor units (campaign budget optimisation on "
        "two campaigns, ad-set budgets on the others). " + HIST_DESC,
        mode="state",
        grain="campaign version",
        keys=["id", "updated_time"],
    ),
    RawTable(
        schema=S,
        name="ad_set_history",
        columns=cols(
            "id:int, updated_time:ts, account_id:int, campaign_id:int, name, status, "
            "bid_strategy, optimization_goal, daily_budget:int, start_time:ts, "
            "end_time:ts, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_time, account_id,
    platform_campaign_id AS campaign_id, name, status, bid_strategy, optimization_goal,
    daily_budget, ts_of(created_us) AS start_time, NULL AS end_time, {HIST_TAIL}
FROM _world.facebook_ads_ad_set_versions""",
        description="Ad set versions (ad sets are the catalogue's ad groups). " + HIST_DESC,
        mode="state",
        grain="ad set version",
        keys=["id", "updated_time"],
    ),
    RawTable(
        schema=S,
        name="ad_history",
        columns=cols(
            "id:int, updated_time:ts, account_id:int, ad_set_id:int, campaign_id:int, "
            "creative_id:int, name, conversion_domain, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_time, account_id,
    platform_ad_group_id AS ad_set_id, platform_campaign_id AS campaign_id, creative_id, name,
    'finstack.co.uk' AS conversion_domain, {HIST_TAIL}
FROM _world.facebook_ads_ad_versions""",
        description="Ad versions; id is an int here and a string in basic_ad. " + HIST_DESC,
        mode="state",
        grain="ad version",
        keys=["id", "updated_time"],
    ),
    RawTable(
        schema=S,
        name="creative_history",
        columns=cols(
            "id:int, _fivetran_id, account_id:int, name, page_link, template_page_link, "
            "url_tags:json, object_story_link_data_link, asset_feed_spec_link_urls:json, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT id, h('{S}.creative_history', id || ':' || v) AS _fivetran_id, account_id,
    name, page_link, template_page_link, url_tags, object_story_link_data_link,
    asset_feed_spec_link_urls, {HIST_TAIL}
FROM _world.facebook_ads_creative_versions""",
        description="Creative versions. UTMs sit in url_tags (JSON key/value/type array), in "
        "page_link, in both, or conflict between the two (url_tags are appended to "
        "the link, so they reach the browser last).",
        mode="state",
        grain="creative version",
        keys=["id", "_fivetran_id"],
    ),
    RawTable(
        schema=S,
        name="basic_ad",
        columns=cols(
            "ad_id:str, date:date, account_id:int, ad_name, adset_name, impressions:int, "
            "inline_link_clicks:int, spend:float, reach:int, frequency:float, cpc:float, "
            "cpm:float, ctr:float, _fivetran_synced:ts"
        ),
        sql=f"""SELECT CAST(c.platform_ad_id AS VARCHAR) AS ad_id, {DATE} AS date, c.account_id,
    c.ad_name, c.ad_group_name AS adset_name, c.impressions, c.clicks AS inline_link_clicks,
    c.spend, c.reach, round(c.impressions / c.reach, 6) AS frequency,
    CASE WHEN c.clicks > 0 THEN round(c.spend / c.clicks, 6) END AS cpc,
    round(c.spend * 1000.0 / c.impressions, 6) AS cpm,
    round(c.clicks * 100.0 / c.impressions, 6) AS ctr, {TIMES}
FROM _world.facebook_ads_cells AS c""",
        description="Daily ad performance in the account zone (America/New_York); spend in "
        "major units of USD; ad_id is a string.",
        mode="state",
        grain="ad x date",
        keys=["ad_id", "date"],
    ),
    RawTable(
        schema=S,
        name="basic_ad_actions",
        columns=cols(ACTION_COLS),
        sql=f"""WITH a AS (
    SELECT a.*, c.day_num, c.platform_ad_id, {ACTION_ASOF}
    FROM _world.facebook_ads_actions AS a JOIN _world.facebook_ads_cells AS c USING (cell_idx)
)
SELECT h('{S}.basic_ad_actions', platform_ad_id || ':' || day_num || ':' || index) AS _fivetran_id,
    CAST(platform_ad_id AS VARCHAR) AS ad_id, {DATE_A} AS date, index, action_type,
    click_asof + view_asof AS value, CASE WHEN restated THEN view_asof END AS _1_d_view,
    click_asof AS _7_d_click, CASE WHEN is_link_click THEN click_asof END AS inline,
    {TIMES_A}
FROM a""",
        description="Actions per ad and day (link clicks, pixel leads and deposits, ...). "
        "Conversion actions are restated for 28 days.",
        mode="state",
        grain="ad x date x action",
        keys=["ad_id", "date", "index"],
    ),
    RawTable(
        schema=S,
        name="basic_ad_action_values",
        columns=cols(ACTION_COLS),
        sql=f"""WITH a AS (
    SELECT a.*, c.day_num, c.platform_ad_id, {ACTION_ASOF}
    FROM _world.facebook_ads_action_values AS a JOIN _world.facebook_ads_cells AS c
        USING (cell_idx)
)
SELECT h('{S}.basic_ad_action_values', platform_ad_id || ':' || day_num || ':' || index)
        AS _fivetran_id,
    CAST(platform_ad_id AS VARCHAR) AS ad_id, {DATE_A} AS date, index, action_type,
    round((click_asof + view_asof) * unit_value, 2) AS value,
    round(view_asof * unit_value, 2) AS _1_d_view, round(click_asof * unit_value, 2) AS _7_d_click,
    NULL AS inline, {TIMES_A}
FROM a""",
        description="Value (USD) of the conversion actions per ad and day; restated for 28 days.",
        mode="state",
        grain="ad x date x action",
        keys=["ad_id", "date", "index"],
    ),
)
