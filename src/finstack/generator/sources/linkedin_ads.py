"""LinkedIn Ads (Fivetran): history tables and daily analytics (UTC days).

World frames (all ``linkedin_ads_*``):
- ``linkedin_ads_cells``: one row per creative (the catalogue's ads) and UTC day;
  ``landing_page_clicks`` >= the world's sessions of that ad on that day and
  ``clicks`` >= ``landing_page_clicks``. Costs in EUR and USD (daily EUR/USD rate).
- ``linkedin_ads_pauses``: campaign pause windows.
- ``linkedin_ads_{account,campaign_group,campaign,creative}_versions``: history
  rows. A campaign group holds two campaigns. Creative versions carry
  ``column_era`` (0 old columns, 1 new, 2 both) and ``url_field`` (0 click_uri,
  1 text_ad_landing_page, 2 spotlight_landing_page).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finstack.generator.config import US_PER_DAY, Defect, defect_count, register_defects
from finstack.generator.sources import _ads_common as ac
from finstack.generator.tables import Column, RawTable, cols, register
from finstack.generator.world import World

S = "linkedin_ads"
# the API migration: old creative columns on this share of the delivered versions, new after
COLUMN_CUTOVER_SHARE = 0.5
# engagement/video/viral columns the connector lands, almost always NULL
SPARSE_COLUMNS = [
    "action_clicks",
    "ad_unit_clicks",
    "approximate_unique_impressions",
    "card_clicks",
    "card_impressions",
    "comment_likes",
    "company_page_clicks",
    "full_screen_plays",
    "lead_generation_mail_contact_info_shares",
    "lead_generation_mail_interested_clicks",
    "opens",
    "sends",
    "text_url_clicks",
    "video_completions",
    "video_first_quartile_completions",
    "video_midpoint_completions",
    "video_starts",
    "video_third_quartile_completions",
    "video_views",
    "viral_card_clicks",
    "viral_card_impressions",
    "viral_comment_likes",
    "viral_comments",
    "viral_company_page_clicks",
    "viral_external_website_conversions",
    "viral_external_website_post_click_conversions",
    "viral_external_website_post_view_conversions",
    "viral_follows",
    "viral_full_screen_plays",
    "viral_landing_page_clicks",
    "viral_likes",
    "viral_one_click_lead_form_opens",
    "viral_one_click_leads",
    "viral_other_engagements",
    "viral_reactions",
    "viral_shares",
    "viral_total_engagements",
    "viral_video_completions",
    "viral_video_starts",
    "viral_video_views",
]
DENSE_COUNTS = [
    "likes",
    "comments",
    "shares",
    "follows",
    "reactions",
    "other_engagements",
    "viral_impressions",
    "viral_clicks",
]

register_defects(
    Defect(
        "linkedin_ads_history_versions",
        S,
        "1–6 versions per entity; two versions of an entity share last_modified_time",
        0.015,
        "entities",
    ),
    Defect(
        "linkedin_ads_old_new_columns",
        S,
        "creative rows before the cut-over only have created_time/last_modified_time/status, "
        "after it only created_at/last_modified_at/intended_status",
        1.0,
        "creative rows",
    ),
    Defect(
        "linkedin_ads_both_columns",
        S,
        "creative rows with both old and new columns",
        0.05,
        "creative_history rows",
    ),
    Defect(
        "linkedin_ads_url_text_ad",
        S,
        "landing page in text_ad_landing_page",
        0.40,
        "creative_history rows",
    ),
    Defect(
        "linkedin_ads_url_spotlight",
        S,
        "landing page in spotlight_landing_page",
        0.10,
        "creative_history rows",
    ),
    Defect(
        "linkedin_ads_restatement",
        S,
        "conversions of the last 1–28 days change between syncs",
        1.0,
        "syncs",
    ),
    Defect(
        "linkedin_ads_zero_rows",
        S,
        "impressions > 0 with spend 0; paused campaigns with a stray click",
        0.01,
        "ad_analytics_by_creative rows",
    ),
)


def simulate(world: World) -> None:
    """LinkedIn ids, campaign groups, history versions and daily analytics."""
    rng = world.rng("linkedin_ads")
    win = world.window
    cat = ac.ad_catalogue(world, "linkedin")
    camp_ids = np.sort(cat.campaign_idx.unique())
    group_of = {c: i // 2 for i, c in enumerate(camp_ids)}  # one group per two campaigns
    group_ids = rng.integers(600_000_000, 699_999_999, size=len(set(group_of.values())))
    cat["group_ordinal"] = cat.campaign_idx.map(group_of)
    cat["campaign_group_id"] = group_ids[cat.group_ordinal.to_numpy()]
    cat["account_id"] = int(rng.integers(500_000_000, 599_999_999))
    cells, pauses = ac.ad_day_cells(world, rng, cat, "UTC", "linkedin_ads_zero_rows")
    _metrics(rng, cells, win.start_us // US_PER_DAY)
    world.add("linkedin_ads_cells", cells)
    world.add("linkedin_ads_pauses", pauses)
    _history(world, cat, pauses)


def _metrics(rng: np.random.Generator, cells: pd.DataFrame, day0: int) -> None:
    n = len(cells)
    lp = cells.clicks.to_numpy()  # session-backed clicks: landing page clicks
    cells["landing_page_clicks"] = lp
    cells["clicks"] = lp + rng.poisson(lp * 0.15 + 0.05)  # profile and "see more" clicks
    cells["impressions"] = np.maximum(cells.impressions, cells.clicks)
    fx = cells.currency.map(ac.FX_FROM_GBP).to_numpy()
    cells["cost_local"] = np.round(cells.cost_gbp.to_numpy() * fx, 6)
    # EUR/USD: a slow deterministic drift around 1.08
    days = cells.day_num.to_numpy() - day0
    eur_usd = 1.08 + 0.03 * np.sin(days / 40.0) + 0.004 * np.cos(days * 1.7)
    cells["cost_usd"] = np.round(cells.cost_local * eur_usd, 6)
    conv = cells.conv_final.to_numpy()
    cells["post_view_final"] = rng.binomial(conv, 0.15)
    cells["post_click_final"] = conv - cells.post_view_final
    cells["value_per_conv"] = np.round(rng.lognormal(np.log(200), 0.5, n) * fx, 2)
    lead_gen = cells.campaign_name.astype(str).str.contains("Lead Gen").to_numpy()
    cells["one_click_leads"] = np.where(lead_gen, rng.binomial(cells.clicks, 0.08), 0)
    cells["one_click_lead_form_opens"] = np.where(
        lead_gen, cells.one_click_leads + rng.poisson(cells.clicks * 0.1), 0
    )
    imp = cells.impressions.to_numpy()
    for col, rate in (
        ("likes", 0.003),
        ("comments", 0.0004),
        ("shares", 0.0003),
        ("follows", 0.0005),
        ("reactions", 0.0035),
        ("other_engagements", 0.002),
    ):
        cells[col] = rng.poisson(imp * rate)
    viral = rng.random(n) < 0.1
    cells["viral_impressions"] = pd.Series(rng.poisson(imp * 0.05), dtype="Int64").where(viral)
    cells["viral_clicks"] = pd.Series(rng.poisson(imp * 0.0005), dtype="Int64").where(viral)
    cells["total_engagements"] = (
        cells.clicks
        + cells.likes
        + cells.comments
        + cells.shares
        + cells.follows
        + cells.other_engagements
    )


def _history(world: World, cat: pd.DataFrame, pauses: pd.DataFrame) -> None:
    rng = world.rng("linkedin_ads_history")
    win = world.window
    hists: dict[str, pd.DataFrame] = {}
    acct = world["ad_accounts"].loc[lambda a: a.platform == "linkedin"].reset_index(drop=True)
    acct["id"] = cat.account_id.iloc[0]
    h = ac.history_frame(rng, acct, np.array([win.start_us - 500 * US_PER_DAY]), win.horizon_us)
    h["name"] = ac.rename(h.account_name.to_numpy(), h.renames_after.to_numpy())
    hists["linkedin_ads_account_versions"] = h

    groups = (
        cat.drop_duplicates("group_ordinal").sort_values("group_ordinal").reset_index(drop=True)
    )
    names = np.array(["Always-on Investors", "Lead Generation"], dtype=object)
    groups["group_name"] = names[groups.group_ordinal.to_numpy() % len(names)]
    created = win.start_us - (rng.uniform(100, 300, len(groups)) * US_PER_DAY).astype(np.int64)
    h = ac.history_frame(rng, groups, created, win.horizon_us)
    h["id"] = h.campaign_group_id
    h["name"] = ac.rename(h.group_name.to_numpy(), h.renames_after.to_numpy())
    h["status"] = "ACTIVE"
    hists["linkedin_ads_campaign_group_versions"] = h

    camps = cat.drop_duplicates("campaign_idx").reset_index(drop=True)
    forced, is_paused = ac.forced_and_paused(pauses, camps.campaign_idx.to_numpy())
    created = win.start_us - (rng.uniform(20, 100, len(camps)) * US_PER_DAY).astype(np.int64)
    h = ac.history_frame(rng, camps, created, win.horizon_us, forced)
    h["id"] = h.platform_campaign_id
    h["name"] = ac.rename(h.campaign_name.to_numpy(), h.renames_after.to_numpy())
    h["status"] = np.where(is_paused(h), "PAUSED", "ACTIVE")
    text = (h.channel_type == "TEXT_AD").to_numpy()
    h["type"] = h.channel_type
    h["format"] = np.where(text, "TEXT_AD", "SINGLE_IMAGE")
    h["objective_type"] = np.where(text, "WEBSITE_VISIT", "WEBSITE_CONVERSION")
    h["optimization_target_type"] = np.where(text, "MAX_CLICK", "MAX_CONVERSION")
    mult = np.array([1.0, 0.8, 1.25, 0.6, 1.5, 0.9])[np.minimum(h.edits_after.to_numpy(), 5)]
    h["daily_budget_amount"] = np.round(h.daily_budget_major * mult * 1.17, 2)
    h["unit_cost_amount"] = np.round(rng.uniform(2.0, 6.0, len(h)), 2)
    h["version_tag"] = (h.v + 1).astype(str)
    hists["linkedin_ads_campaign_versions"] = h

    created = win.start_us - (rng.uniform(5, 60, len(cat)) * US_PER_DAY).astype(np.int64)
    h = ac.history_frame(rng, cat, created, win.horizon_us)
    h["id"] = h.platform_ad_id
    h["status"] = "ACTIVE"
    h["url_field"] = (
        ac.pick_counts(rng, len(h), ["linkedin_ads_url_text_ad", "linkedin_ads_url_spotlight"]) + 1
    )
    url = (
        ac.SITE
        + h.landing_path.astype(str)
        + "?"
        + pd.Series(
            [
                ac.utm_query(*r)
                for r in zip(h.utm_source, h.utm_medium, h.utm_campaign, h.utm_content, strict=True)
            ],
            dtype=object,
        )
    )
    h["landing_url"] = url
    hists["linkedin_ads_creative_versions"] = h

    hists = ac.history_defects(rng, hists, win.end_us, "linkedin_ads_history_versions")
    # API migration: the columns a creative row has depend on when it was last modified
    h = hists["linkedin_ads_creative_versions"]
    # the cut-over day sits mid-way through the delivered versions, so both eras show
    delivered = h.updated_us.to_numpy()[h.arrival_us.to_numpy() < win.end_us]
    cut = (int(np.quantile(delivered, COLUMN_CUTOVER_SHARE)) // US_PER_DAY + 1) * US_PER_DAY
    era = (h.updated_us.to_numpy() >= cut).astype(np.int64)
    both = rng.choice(
        len(h), size=min(len(h), defect_count("linkedin_ads_both_columns", len(h))), replace=False
    )
    era[both] = 2
    h["column_era"] = era
    for name, frame in hists.items():
        world.add(name, frame)


# ---------------------------------------------------------------------------
# raw tables

SYNC_NS = "linkedin_ads_sync"
FRAC = ac.restate_frac_sql("day_num")
HIST_TAIL = "ts_of(arrival_us) AS _fivetran_synced, ts_of(arrival_us) AS _arrival_at"
HIST_DESC = "One row per version; two versions may share last_modified_time (defect)."
METRIC_COLS = (
    "clicks:int, impressions:int, cost_in_local_currency:num, cost_in_usd:num, "
    "conversion_value_in_local_currency:num, external_website_conversions:int, "
    "external_website_post_click_conversions:int, "
    "external_website_post_view_conversions:int, one_click_leads:int, "
    "one_click_lead_form_opens:int, landing_page_clicks:int, total_engagements:int, "
    + ", ".join(f"{c}:int" for c in DENSE_COUNTS)
)
CELLS = f"""
    SELECT c.*, floor(post_click_final * {FRAC}) AS post_click_asof,
        floor(post_view_final * {FRAC}) AS post_view_asof
    FROM _world.linkedin_ads_cells AS c
"""
DAY = "CAST(DATE '1970-01-01' + CAST(day_num AS INTEGER) AS TIMESTAMPTZ)"
TIMES = ac.stats_times_sql(SYNC_NS, "day_num")


def _analytics(name: str, key: str, key_expr: str, group: bool) -> RawTable:
    dense = [
        "clicks",
        "impressions",
        "cost_local",
        "cost_usd",
        "conv_value",
        "conv",
        "post_click_asof",
        "post_view_asof",
        "one_click_leads",
        "one_click_lead_form_opens",
        "landing_page_clicks",
        "total_engagements",
        *DENSE_COUNTS,
    ]
    agg = "sum" if group else ""
    exprs = {
        "cost_local": "cost_local",
        "cost_usd": "cost_usd",
        "conv_value": "round((post_click_asof + post_view_asof) * value_per_conv, 2)",
        "conv": "post_click_asof + post_view_asof",
    }
    sel = ", ".join(f"{agg}({exprs.get(d, d)}) AS {d}" for d in dense)
    sparse = ", ".join(f"NULL AS {c}" for c in SPARSE_COLUMNS)
    return RawTable(
        schema=S,
        name=name,
        columns=[
            *cols(f"{key}:int, day:ts, {METRIC_COLS}"),
            *[Column(c, "int") for c in SPARSE_COLUMNS],
            Column("_fivetran_synced", "ts"),
        ],
        sql=f"""WITH c AS ({CELLS}), m AS (
    SELECT {key_expr} AS {key}, day_num, {sel}
    FROM c {"GROUP BY " + key_expr + ", day_num" if group else ""}
)
SELECT {key}, {DAY} AS day, clicks, impressions, cost_local AS cost_in_local_currency,
    cost_usd AS cost_in_usd, conv_value AS conversion_value_in_local_currency,
    conv AS external_website_conversions,
    post_click_asof AS external_website_post_click_conversions,
    post_view_asof AS external_website_post_view_conversions, one_click_leads,
    one_click_lead_form_opens, landing_page_clicks, total_engagements,
    {", ".join(DENSE_COUNTS)}, {sparse}, {TIMES}
FROM m""",
        description=f"Daily analytics per {key.removesuffix('_id')} (UTC days: day is a UTC "
        "midnight); costs in EUR and USD; conversions restated for 28 days.",
        mode="state",
        grain=f"{key.removesuffix('_id')} x day",
        keys=[key, "day"],
    )


register(
    RawTable(
        schema=S,
        name="account_history",
        columns=cols(
            "id:int, name, currency, status, type, version_tag, created_time:ts, "
            "last_modified_time:ts, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, name, currency, 'ACTIVE' AS status, 'BUSINESS' AS type,
    CAST(v + 1 AS VARCHAR) AS version_tag, ts_of(created_us) AS created_time,
    ts_of(updated_us) AS last_modified_time, {HIST_TAIL}
FROM _world.linkedin_ads_account_versions""",
        description="Ad account versions. " + HIST_DESC,
        mode="state",
        grain="account version",
        keys=["id", "last_modified_time"],
    ),
    RawTable(
        schema=S,
        name="campaign_group_history",
        columns=cols(
            "id:int, account_id:int, name, status, run_schedule_start:ts, "
            "run_schedule_end:ts, created_time:ts, last_modified_time:ts, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT id, account_id, name, status, ts_of(created_us) AS run_schedule_start,
    NULL AS run_schedule_end, ts_of(created_us) AS created_time,
    ts_of(updated_us) AS last_modified_time, {HIST_TAIL}
FROM _world.linkedin_ads_campaign_group_versions""",
        description="Campaign groups (one per two campaigns). " + HIST_DESC,
        mode="state",
        grain="campaign group version",
        keys=["id", "last_modified_time"],
    ),
    RawTable(
        schema=S,
        name="campaign_history",
        columns=cols(
            "id:int, account_id:int, campaign_group_id:int, name, status, type, "
            "cost_type, format, objective_type, optimization_target_type, "
            "daily_budget_amount:float, daily_budget_currency_code, "
            "unit_cost_amount:float, unit_cost_currency_code, locale_country, "
            "locale_language, run_schedule_start:ts, run_schedule_end:ts, "
            "created_time:ts, last_modified_time:ts, version_tag, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, account_id, campaign_group_id, name, status, type, 'CPC' AS cost_type,
    format, objective_type, optimization_target_type, daily_budget_amount,
    currency AS daily_budget_currency_code, unit_cost_amount, currency AS unit_cost_currency_code,
    'GB' AS locale_country, 'en' AS locale_language, ts_of(created_us) AS run_schedule_start,
    NULL AS run_schedule_end, ts_of(created_us) AS created_time,
    ts_of(updated_us) AS last_modified_time, version_tag, {HIST_TAIL}
FROM _world.linkedin_ads_campaign_versions""",
        description="Campaign versions (renames, pauses, budget edits; budgets in EUR). "
        + HIST_DESC,
        mode="state",
        grain="campaign version",
        keys=["id", "last_modified_time"],
    ),
    RawTable(
        schema=S,
        name="creative_history",
        columns=cols(
            "id:int, campaign_id:int, created_time:ts, last_modified_time:ts, status, "
            "created_at:ts, last_modified_at:ts, intended_status, click_uri, "
            "text_ad_landing_page, spotlight_landing_page, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, platform_campaign_id AS campaign_id,
    CASE WHEN column_era IN (0, 2) THEN ts_of(created_us) END AS created_time,
    CASE WHEN column_era IN (0, 2) THEN ts_of(updated_us) END AS last_modified_time,
    CASE WHEN column_era IN (0, 2) THEN status END AS status,
    CASE WHEN column_era IN (1, 2) THEN ts_of(created_us) END AS created_at,
    CASE WHEN column_era IN (1, 2) THEN ts_of(updated_us) END AS last_modified_at,
    CASE WHEN column_era IN (1, 2) THEN status END AS intended_status,
    CASE WHEN url_field = 0 THEN landing_url END AS click_uri,
    CASE WHEN url_field = 1 THEN landing_url END AS text_ad_landing_page,
    CASE WHEN url_field = 2 THEN landing_url END AS spotlight_landing_page, {HIST_TAIL}
FROM _world.linkedin_ads_creative_versions""",
        description="Creative versions. Before the API cut-over only the old columns "
        "(created_time, last_modified_time, status), after it only the new ones "
        "(created_at, last_modified_at, intended_status), a few rows with both. "
        "The landing page is in click_uri, text_ad_landing_page or "
        "spotlight_landing_page.",
        mode="state",
        grain="creative version",
        keys=["id", "last_modified_time", "last_modified_at"],
    ),
    _analytics("ad_analytics_by_creative", "creative_id", "platform_ad_id", False),
    _analytics("ad_analytics_by_campaign", "campaign_id", "platform_campaign_id", True),
)
