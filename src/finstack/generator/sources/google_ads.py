"""Google Ads (Fivetran, Google Ads API): history tables and daily stats.

World frames (all ``google_ads_*``):
- ``google_ads_cells``: the finest stats grain, ad x account-zone day x device
  (x keyword on search campaigns), with final conversions; every session of a
  Google ad is one of the cell's clicks. Raw ``ad_stats``/``keyword_stats`` are
  these rows; ``ad_group_stats``/``campaign_stats``/``account_stats`` sum them
  (PERFORMANCE_MAX rows only reach ``campaign_stats`` and ``account_stats``).
- ``google_ads_search_terms``: search-term split of the search cells.
- ``google_ads_pauses``: campaign pause windows (stray clicks while paused).
- ``google_ads_{account,campaign,ad_group,ad,criterion}_versions``: history rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finstack.generator.config import US_PER_DAY, Defect, defect_count, register_defects
from finstack.generator.sources import _ads_common as ac
from finstack.generator.tables import RawTable, cols, register
from finstack.generator.world import World

S = "google_ads"
DEVICES = np.array(["DESKTOP", "MOBILE", "TABLET"])
NETWORK = {"SEARCH": "SEARCH", "DISPLAY": "CONTENT", "PERFORMANCE_MAX": "MIXED"}
KEYWORDS = {  # search campaign name -> keyword vocabulary
    "Brand Search UK": ["finstack", "finstack login", "finstack app", "finstack reviews"],
    "P2P Lending Generic": [
        "p2p lending",
        "peer to peer lending uk",
        "best p2p platforms",
        "p2p investing",
    ],
    "ISA Season": ["innovative finance isa", "ifisa rates", "isa allowance", "best isa"],
    "EU Cash Savings": [
        "high interest savings",
        "tagesgeld",
        "compte epargne",
        "savings account eu",
    ],
    "QA Smoke Campaign": ["qa smoke keyword", "qa test", "finstack qa"],
}
TERM_SUFFIX = ["", " uk", "best ", " review", " rates", " online"]
# the day the connector moved to resource names (share of the window)
RESOURCE_CUTOVER_SHARE = 0.4

register_defects(
    Defect(
        "google_ads_history_versions",
        S,
        "1–6 versions per entity; two versions of an entity share updated_at",
        0.015,
        "entities",
    ),
    Defect(
        "google_ads_history_active_flag",
        S,
        "_fivetran_active true on zero rows or on two rows of an entity",
        0.015,
        "entities",
    ),
    Defect(
        "google_ads_resource_names",
        S,
        "ad_stats.ad_group_id NULL, only ad_group = customers/{cid}/adGroups/{id}",
        0.60,
        "ad_stats rows after the cut-over",
    ),
    Defect(
        "google_ads_campaign_only_spend",
        S,
        "PERFORMANCE_MAX spend in campaign_stats only, no ad rows",
        1.0,
        "PERFORMANCE_MAX campaigns",
    ),
    Defect(
        "google_ads_restatement",
        S,
        "conversions of the last 1–28 days change between syncs (new _fivetran_synced)",
        1.0,
        "syncs",
    ),
    Defect(
        "google_ads_fractional_conversions", S, "conversions like 0.37", 0.40, "converting rows"
    ),
    Defect(
        "google_ads_auto_tagging",
        S,
        "ads with no UTMs in final_urls (gclid only); tracking_url_template with {campaignid}",
        0.50,
        "google ads",
    ),
    Defect(
        "google_ads_zero_rows",
        S,
        "impressions > 0 with spend 0; paused campaigns with a stray click",
        0.01,
        "ad_stats rows",
    ),
    Defect(
        "google_ads_test_account", S, "one account with test_account = true", 1.0, "test accounts"
    ),
)


def simulate(world: World) -> None:
    """Google catalogue ids, history versions, daily cells and search terms."""
    rng = world.rng("google_ads")
    cat = ac.ad_catalogue(world, "google")
    accts = world["ad_accounts"].loc[lambda a: a.platform == "google"].reset_index(drop=True)
    camps = world["campaigns"].loc[lambda c: c.platform == "google"].reset_index(drop=True)
    groups = world["ad_groups"].loc[lambda g: g.campaign_idx.isin(camps.campaign_idx)]
    groups = groups.reset_index(drop=True)

    # ids: customer ids (10 digits) per account, plus the agency's manager (MCC) account
    accts["customer_id"] = rng.integers(1_000_000_000, 9_999_999_999, size=len(accts))
    cust_of_acct = dict(zip(accts.account_idx, accts.customer_id, strict=True))
    camps["customer_id"] = camps.account_idx.map(cust_of_acct)
    cat["customer_id"] = cat.account_idx.map(cust_of_acct)
    channel = dict(zip(camps.campaign_idx, camps.channel_type, strict=True))
    is_pmax = dict(zip(camps.campaign_idx, camps.channel_type == "PERFORMANCE_MAX", strict=True))

    crit = _criteria(rng, groups, camps)
    sessions = _sessions(world, cat, crit)
    cells = _cells(world, rng, cat, crit, sessions, channel, is_pmax, camps)
    world.add("google_ads_cells", cells)
    world.add("google_ads_search_terms", _search_terms(world.rng("google_ads_terms"), cells, crit))
    _history(world, accts, camps, groups, cat, crit)


def _criteria(rng: np.random.Generator, groups: pd.DataFrame, camps: pd.DataFrame) -> pd.DataFrame:
    """Keywords (ad group criteria) of the search ad groups: 3–4 per ad group."""
    rows = []
    name = dict(zip(camps.campaign_idx, camps.campaign_name, strict=True))
    for g in groups.itertuples():  # a dozen ad groups: catalogue loop
        vocab = KEYWORDS.get(name[g.campaign_idx])
        if not vocab:
            continue
        k = 3 + int(rng.random() < 0.5)
        start = int(rng.integers(0, len(vocab)))
        for j in range(k):
            rows.append((g.ad_group_idx, g.campaign_idx, j, vocab[(start + j) % len(vocab)]))
    crit = pd.DataFrame(
        rows, columns=["ad_group_idx", "campaign_idx", "kw_ordinal", "keyword_text"]
    )
    crit.insert(0, "crit_idx", np.arange(len(crit), dtype=np.int64))
    crit["criterion_id"] = rng.integers(10_000_000_000, 999_999_999_999, size=len(crit))
    crit["match_type"] = rng.choice(
        ["EXACT", "PHRASE", "BROAD"], size=len(crit), p=[0.4, 0.35, 0.25]
    )
    return crit


def _sessions(world: World, cat: pd.DataFrame, crit: pd.DataFrame) -> pd.DataFrame:
    """Google-ad sessions with their account-zone day, device and keyword."""
    rng = world.rng("google_ads_sessions")
    s = world["sessions"]
    s = s.loc[s.ad_idx.isin(cat.ad_idx)]
    ad = cat.set_index("ad_idx").loc[s.ad_idx.to_numpy()]
    out = pd.DataFrame({"ad_idx": s.ad_idx.to_numpy()})
    out["day_num"] = 0
    for tz in ad.time_zone.unique():  # one or two zones
        m = (ad.time_zone == tz).to_numpy()
        out.loc[m, "day_num"] = ac.local_day_num(s.start_us.to_numpy()[m], tz)
    web_dev = rng.choice(3, size=len(s), p=[0.55, 0.35, 0.10])
    out["device"] = np.where(s.platform.to_numpy() == 0, web_dev, 1)
    # keyword: the ad group's first keywords attract most searches
    n_kw = crit.groupby("ad_group_idx").size()
    k = n_kw.reindex(ad.ad_group_idx.to_numpy()).fillna(0).to_numpy().astype(np.int64)
    pick = np.minimum(rng.geometric(0.45, size=len(s)) - 1, np.maximum(k - 1, 0))
    out["kw_ordinal"] = np.where(k > 0, pick, -1)
    return out


def _cells(
    world: World,
    rng: np.random.Generator,
    cat: pd.DataFrame,
    crit: pd.DataFrame,
    sessions: pd.DataFrame,
    channel: dict,
    is_pmax: dict,
    camps: pd.DataFrame,
) -> pd.DataFrame:
    win = world.window
    # one key row per ad x device (x keyword on search ad groups)
    keys = cat[["ad_idx", "ad_group_idx", "campaign_idx", "account_idx"]].copy()
    keys = keys.loc[keys.index.repeat(3)].reset_index(drop=True)
    keys["device"] = np.tile(np.arange(3), len(cat))
    kw = crit[["ad_group_idx", "kw_ordinal", "crit_idx"]]
    keys = keys.merge(kw, on="ad_group_idx", how="left")
    keys["kw_ordinal"] = keys.kw_ordinal.fillna(-1).astype(np.int64)
    keys["crit_idx"] = keys.crit_idx.fillna(-1).astype(np.int64)
    tz = cat.time_zone.iloc[0]
    first = min(
        int(ac.local_day_num(np.array([win.start_us]), tz)[0]),
        int(sessions.day_num.min()) if len(sessions) else 10**9,
    )
    last = int(ac.local_day_num(np.array([win.horizon_us - 1]), tz)[0])
    grid = ac.day_grid(keys, first, last)
    on = ["ad_idx", "device", "kw_ordinal", "day_num"]
    grid["sessions"] = ac.count_sessions(grid, sessions, on)
    # the cell's share of its ad's traffic, from the world's sessions
    tot = sessions.groupby(["ad_idx", "device", "kw_ordinal"]).size().rename("n_cell")
    share = keys.merge(tot.reset_index(), on=["ad_idx", "device", "kw_ordinal"], how="left")
    share["n_cell"] = share.n_cell.fillna(0) + 0.5
    share["share"] = share.n_cell / share.groupby("ad_idx").n_cell.transform("sum")
    grid = grid.merge(
        share[["ad_idx", "device", "kw_ordinal", "share"]], on=["ad_idx", "device", "kw_ordinal"]
    )
    # per-ad CTR, per-campaign CPC (brand search is cheap) and conversion rate
    ctr = dict(zip(cat.ad_idx, rng.uniform(0.01, 0.04, len(cat)), strict=True))
    cpc = {
        c: (rng.uniform(0.5, 0.9) if "Brand" in n else rng.uniform(0.8, 3.0))
        for c, n in zip(camps.campaign_idx, camps.campaign_name, strict=True)
    }
    cvr = dict(zip(camps.campaign_idx, rng.uniform(0.03, 0.10, len(camps)), strict=True))
    grid["ctr"] = grid.ad_idx.map(ctr)
    grid["cpc_gbp"] = grid.campaign_idx.map(cpc)
    grid["cvr"] = grid.campaign_idx.map(cvr)
    cells = ac.draw_cells(rng, grid, last - first + 1)
    visible = (
        int(ac.local_day_num(np.array([win.start_us]), tz)[0]),
        int(ac.local_day_num(np.array([win.end_us - 1]), tz)[0]),
    )
    pause_ok = np.zeros(int(world["campaigns"].campaign_idx.max()) + 1, dtype=bool)
    for c in camps.itertuples():
        pause_ok[c.campaign_idx] = not c.is_test and c.channel_type != "PERFORMANCE_MAX"
    cells, pauses = ac.apply_pauses_and_zero_rows(
        rng, cells, "google_ads_zero_rows", camps.campaign_idx.to_numpy(), visible, pause_ok
    )
    world.add("google_ads_pauses", ac.pause_instants(pauses, tz))

    n = len(cells)
    info = cat.set_index("ad_idx").loc[cells.ad_idx.to_numpy()]
    cur = info.currency.map(ac.FX_FROM_GBP).to_numpy()
    cells["customer_id"] = info.customer_id.to_numpy()
    cells["campaign_id"] = info.platform_campaign_id.to_numpy()
    cells["ad_group_id"] = info.platform_ad_group_id.to_numpy()
    cells["ad_id"] = info.platform_ad_id.to_numpy()
    cells["criterion_id"] = np.where(
        cells.crit_idx >= 0, crit.criterion_id.to_numpy()[np.maximum(cells.crit_idx, 0)], -1
    )
    cells["device"] = DEVICES[cells.device.to_numpy()]
    chan = cells.campaign_idx.map(channel)
    cells["ad_network_type"] = chan.map(NETWORK).to_numpy()
    cells["is_pmax"] = cells.campaign_idx.map(is_pmax).to_numpy().astype(bool)
    # micros are whole cents
    cells["cost_micros"] = (np.round(cells.cost_gbp.to_numpy() * cur * 100) * 10_000).astype(
        np.int64
    )
    # conversions: 40% of converting rows fractional (data-driven attribution)
    conv = cells.conv_final.to_numpy().astype(float)
    converting = np.flatnonzero(conv > 0)
    frac_rows = rng.choice(
        converting,
        size=min(
            len(converting), defect_count("google_ads_fractional_conversions", len(converting))
        ),
        replace=False,
    )
    conv[frac_rows] = conv[frac_rows] - 1 + np.round(rng.uniform(0.05, 0.95, len(frac_rows)), 2)
    cells["conv_final"] = conv
    cells["conv_fractional"] = np.zeros(n, dtype=bool)
    cells.loc[frac_rows, "conv_fractional"] = True
    cells["value_per_conv"] = np.round(rng.lognormal(np.log(120), 0.5, n) * cur, 2)
    cells["view_through_conversions"] = np.where(
        chan.to_numpy() == "DISPLAY", rng.poisson(cells.impressions.to_numpy() * 0.0004), 0
    )
    cells["interactions"] = cells.clicks.to_numpy()
    # resource names: after the cut-over 60% of ad_stats rows carry only ad_group
    span = visible[1] - visible[0]
    cutover = visible[0] + int(RESOURCE_CUTOVER_SHARE * span)
    cells["resource_cutover_day"] = cutover
    after = np.flatnonzero((cells.day_num.to_numpy() >= cutover) & ~cells.is_pmax.to_numpy())
    k = defect_count("google_ads_resource_names", len(after))
    cells["ad_group_id_null"] = False
    cells.loc[rng.choice(after, size=k, replace=False), "ad_group_id_null"] = True
    cells.insert(0, "cell_idx", np.arange(n, dtype=np.int64))
    return cells.drop(columns=["ctr", "cpc_gbp", "cvr", "share"])


def _search_terms(
    rng: np.random.Generator, cells: pd.DataFrame, crit: pd.DataFrame
) -> pd.DataFrame:
    """Split each keyword cell into 1–3 search terms (impressions, clicks, cost)."""
    kc = cells.loc[cells.crit_idx >= 0]
    n_terms = rng.integers(1, 4, size=len(kc))
    idx = np.repeat(np.arange(len(kc)), n_terms)
    ordinal = np.arange(len(idx)) - np.repeat(np.cumsum(n_terms) - n_terms, n_terms)
    w = rng.dirichlet(np.ones(3), size=len(kc))
    # binomial chain: term j takes its share of what the earlier terms left
    left_imp = kc.impressions.to_numpy().copy()
    left_clk = kc.clicks.to_numpy().copy()
    left_w = np.ones(len(kc))
    imp = np.zeros(len(idx), dtype=np.int64)
    clk = np.zeros(len(idx), dtype=np.int64)
    for j in range(3):  # three term slots
        rows = np.flatnonzero(ordinal == j)
        src = idx[rows]
        last = ordinal[rows] == n_terms[src] - 1
        p = np.clip(w[src, j] / np.maximum(left_w[src], 1e-9), 0, 1)
        imp[rows] = np.where(last, left_imp[src], rng.binomial(left_imp[src], p))
        clk[rows] = np.where(
            last, left_clk[src], np.minimum(rng.binomial(left_clk[src], p), imp[rows])
        )
        left_imp[src] -= imp[rows]
        left_clk[src] -= clk[rows]
        left_w[src] -= w[src, j]
    # clicks cannot exceed impressions on a term: give any surplus impressions back
    imp = np.maximum(imp, clk)
    out = pd.DataFrame(
        {
            "cell_idx": kc.cell_idx.to_numpy()[idx],
            "term_ordinal": ordinal,
            "impressions": imp,
            "clicks": clk,
        }
    )
    tot_clk = kc.clicks.to_numpy()[idx]
    tot_imp = kc.impressions.to_numpy()[idx]
    out["share"] = np.where(tot_clk > 0, clk / np.maximum(tot_clk, 1), imp / np.maximum(tot_imp, 1))
    out["cost_micros"] = (
        np.round(kc.cost_micros.to_numpy()[idx] * out.share / 10_000) * 10_000
    ).astype(np.int64)
    kw_text = crit.keyword_text.to_numpy()[kc.crit_idx.to_numpy()[idx]]
    suffix = np.array(TERM_SUFFIX, dtype=object)[2 * ordinal + rng.integers(0, 2, len(idx))]
    prefix_form = np.char.startswith(suffix.astype(str), "best")
    out["search_term"] = np.where(prefix_form, suffix + kw_text, kw_text + suffix)
    out["search_term_match_type"] = np.where(
        ordinal == 0,
        "EXACT",
        rng.choice(["PHRASE", "BROAD", "NEAR_EXACT", "NEAR_PHRASE"], len(idx)),
    )
    out["status"] = rng.choice(
        ["NONE", "ADDED", "EXCLUDED", "ADDED_EXCLUDED"], len(idx), p=[0.8, 0.12, 0.06, 0.02]
    )
    return out


def _history(
    world: World,
    accts: pd.DataFrame,
    camps: pd.DataFrame,
    groups: pd.DataFrame,
    cat: pd.DataFrame,
    crit: pd.DataFrame,
) -> None:
    rng = world.rng("google_ads_history")
    win = world.window
    created0 = win.start_us - 400 * US_PER_DAY

    hists: dict[str, pd.DataFrame] = {}

    def finish(hist: pd.DataFrame) -> pd.DataFrame:
        hist["arrival_us"] = ac.sync_arrival(rng, hist.updated_us.to_numpy())
        return hist

    # accounts (+ the manager account, which has no stats)
    acc = pd.concat(
        [
            accts,
            pd.DataFrame(
                [
                    {
                        "account_idx": -1,
                        "account_name": "Finstack MCC",
                        "currency": "GBP",
                        "time_zone": "Europe/London",
                        "is_test_account": False,
                        "customer_id": int(rng.integers(1_000_000_000, 9_999_999_999)),
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    created = created0 + (rng.random(len(acc)) * 60 * US_PER_DAY).astype(np.int64)
    h = ac.history_versions(rng, len(acc), created, win.horizon_us)
    a = acc.iloc[h.ent.to_numpy()].reset_index(drop=True)
    h["id"] = a.customer_id.to_numpy()
    h["descriptive_name"] = ac.rename(a.account_name.to_numpy(), h.renames_after.to_numpy())
    h["currency_code"] = a.currency.to_numpy()
    h["time_zone"] = a.time_zone.to_numpy()
    h["test_account"] = a.is_test_account.to_numpy()
    h["manager"] = (a.account_idx == -1).to_numpy()
    h["auto_tagging_enabled"] = ~h.manager.to_numpy()
    hists["google_ads_account_versions"] = finish(h)

    # campaigns: pause windows are forced versions (PAUSED, then ENABLED again)
    pauses = world["google_ads_pauses"]
    forced, is_paused = ac.forced_and_paused(pauses, camps.campaign_idx.to_numpy())
    created = win.start_us - (rng.uniform(20, 300, len(camps)) * US_PER_DAY).astype(np.int64)
    h = ac.history_versions(rng, len(camps), created, win.horizon_us, forced)
    c = camps.iloc[h.ent.to_numpy()].reset_index(drop=True)
    h["campaign_idx"] = c.campaign_idx.to_numpy()
    h["id"] = c.platform_campaign_id.to_numpy()
    h["customer_id"] = c.customer_id.to_numpy()
    h["name"] = ac.rename(c.campaign_name.to_numpy(), h.renames_after.to_numpy())
    paused = is_paused(h)
    h["status"] = np.where(paused, "PAUSED", "ENABLED")
    h["serving_status"] = np.where(paused, "SUSPENDED", "SERVING")
    h["advertising_channel_type"] = c.channel_type.to_numpy()
    h["advertising_channel_subtype"] = None
    h["start_date"] = pd.to_datetime(created[h.ent.to_numpy()], unit="us").strftime("%Y-%m-%d")
    h["end_date"] = "2037-12-30"
    with_template = rng.random(len(camps)) < 0.5
    with_template[int(np.argmax(~camps.is_test.to_numpy()))] = True  # at least one
    h["tracking_url_template"] = np.where(
        with_template[h.ent.to_numpy()],
        "{lpurl}?campaignid={campaignid}&adgroupid={adgroupid}&keyword={keyword}&device={device}",
        None,
    )
    hists["google_ads_campaign_versions"] = finish(h)

    # ad groups (PERFORMANCE_MAX has asset groups: not in ad_group_history)
    camp_of = camps.set_index("campaign_idx")
    g_all = groups.loc[~groups.campaign_idx.map(camp_of.channel_type).eq("PERFORMANCE_MAX")]
    g_all = g_all.reset_index(drop=True)
    created = win.start_us - (rng.uniform(10, 200, len(g_all)) * US_PER_DAY).astype(np.int64)
    h = ac.history_versions(rng, len(g_all), created, win.horizon_us)
    g = g_all.iloc[h.ent.to_numpy()].reset_index(drop=True)
    cg = camp_of.loc[g.campaign_idx.to_numpy()]
    h["id"] = g.platform_ad_group_id.to_numpy()
    h["campaign_id"] = cg.platform_campaign_id.to_numpy()
    h["campaign_name"] = cg.campaign_name.to_numpy()
    h["name"] = ac.rename(g.ad_group_name.to_numpy(), h.renames_after.to_numpy())
    h["status"] = "ENABLED"
    h["type"] = np.where(
        cg.channel_type.to_numpy() == "DISPLAY", "DISPLAY_STANDARD", "SEARCH_STANDARD"
    )
    hists["google_ads_ad_group_versions"] = finish(h)

    # ads
    ads = cat.loc[cat.channel_type != "PERFORMANCE_MAX"].reset_index(drop=True)
    created = win.start_us - (rng.uniform(5, 150, len(ads)) * US_PER_DAY).astype(np.int64)
    h = ac.history_versions(rng, len(ads), created, win.horizon_us)
    d = ads.iloc[h.ent.to_numpy()].reset_index(drop=True)
    h["ad_idx"] = d.ad_idx.to_numpy()
    h["id"] = d.platform_ad_id.to_numpy()
    h["ad_group_id"] = d.platform_ad_group_id.to_numpy()
    h["name"] = ac.rename(d.ad_name.to_numpy(), h.renames_after.to_numpy())
    h["type"] = np.where(
        d.channel_type.to_numpy() == "DISPLAY", "RESPONSIVE_DISPLAY_AD", "RESPONSIVE_SEARCH_AD"
    )
    h["status"] = "ENABLED"
    h["display_url"] = "www.finstack.co.uk" + d.landing_path.to_numpy().astype(object)
    url = ac.SITE + d.landing_path.to_numpy().astype(object)
    q = np.array(
        [
            ac.utm_query(r.utm_source, r.utm_medium, r.utm_campaign, r.utm_content)
            for r in ads.itertuples()
        ],
        dtype=object,
    )[h.ent.to_numpy()]
    tagged = d.has_utms.to_numpy()
    h["final_url"] = np.where(tagged, url + "?" + q, url)
    h["final_urls"] = "['" + h.final_url + "']"
    hists["google_ads_ad_versions"] = finish(h)

    # keywords
    created = win.start_us - (rng.uniform(5, 150, len(crit)) * US_PER_DAY).astype(np.int64)
    h = ac.history_versions(rng, len(crit), created, win.horizon_us)
    k = crit.iloc[h.ent.to_numpy()].reset_index(drop=True)
    gid = groups.set_index("ad_group_idx").platform_ad_group_id
    h["id"] = k.criterion_id.to_numpy()
    h["ad_group_id"] = gid.loc[k.ad_group_idx.to_numpy()].to_numpy()
    h["base_campaign_id"] = camp_of.platform_campaign_id.loc[k.campaign_idx.to_numpy()].to_numpy()
    h["type"] = "KEYWORD"
    h["status"] = "ENABLED"
    h["keyword_text"] = k.keyword_text.to_numpy()
    # match type edits: older versions were broader
    older = np.where(h.edits_after.to_numpy() > 0, "BROAD", k.match_type.to_numpy())
    h["keyword_match_type"] = older
    hists["google_ads_criterion_versions"] = finish(h)
    hists = ac.history_defects(
        rng, hists, win.end_us, "google_ads_history_versions", "google_ads_history_active_flag"
    )
    for name, frame in hists.items():
        world.add(name, frame)


# ---------------------------------------------------------------------------
# raw tables

SYNC_NS = "google_ads_sync"
FRAC = ac.restate_frac_sql("day_num")
# cells with conversions as of the cut-off (restated until RESTATE_DAYS old)
CELLS = f"""
    SELECT c.*,
        CASE WHEN conv_fractional THEN round(conv_final * {FRAC}, 2)
             ELSE floor(conv_final * {FRAC}) END AS conv_asof,
        DATE '1970-01-01' + CAST(day_num AS INTEGER) AS stat_date
    FROM _world.google_ads_cells AS c
"""
METRICS = """clicks, impressions, cost_micros, conv_asof AS conversions,
        round(conv_asof * value_per_conv, 2) AS conversions_value,
        view_through_conversions, interactions"""
SUM_METRICS = """sum(clicks) AS clicks, sum(impressions) AS impressions,
        sum(cost_micros) AS cost_micros, sum(conv_asof) AS conversions,
        sum(round(conv_asof * value_per_conv, 2)) AS conversions_value,
        sum(view_through_conversions) AS view_through_conversions,
        sum(interactions) AS interactions"""
METRIC_COLS = (
    "clicks:int, impressions:int, cost_micros:int, conversions:float, "
    "conversions_value:float, view_through_conversions:int, interactions:int"
)
TIMES = ac.stats_times_sql(SYNC_NS, "day_num")
HIST_TAIL = (
    f"{ac.active_sql()} AS _fivetran_active, {ac.synced_sql()} AS _fivetran_synced, "
    "ts_of(arrival_us) AS _arrival_at"
)
HIST_DESC = (
    "One row per version (id, updated_at); _fivetran_active marks the current one "
    "(defects: duplicate updated_at, zero or two active rows)."
)

AD_STATS_COLS = (
    "customer_id:int, date:date, ad_id:int, campaign_id:int, ad_group_id:str, "
    "ad_group:str, keyword_ad_group_criterion:str, ad_network_type, device, "
    + METRIC_COLS
    + ", _fivetran_synced:ts"
)
AD_STATS_SELECT = """customer_id, stat_date AS date, ad_id, campaign_id,
        CASE WHEN ad_group_id_null THEN NULL ELSE CAST(ad_group_id AS VARCHAR) END AS ad_group_id,
        CASE WHEN day_num >= resource_cutover_day
             THEN 'customers/' || customer_id || '/adGroups/' || ad_group_id END AS ad_group,
        CASE WHEN criterion_id >= 0 THEN 'customers/' || customer_id || '/adGroupCriteria/'
             || ad_group_id || '~' || criterion_id END AS keyword_ad_group_criterion,
        ad_network_type, device"""


def _level_stats(name: str, id_col: str, extra_cols: str = "", where: str = "") -> RawTable:
    """An aggregate stats table (account, campaign or ad group level)."""
    return RawTable(
        schema=S,
        name=name,
        columns=cols(
            f"_fivetran_id, customer_id:int, date:date, id:int{extra_cols}, "
            f"ad_network_type, device, {METRIC_COLS}, _fivetran_synced:ts"
        ),
        sql=f"""
WITH c AS ({CELLS})
SELECT h('{S}.{name}', {id_col} || '|' || stat_date || '|' || ad_network_type || '|' || device)
        AS _fivetran_id,
    customer_id, stat_date AS date, {id_col} AS id{", campaign_id" if extra_cols else ""},
    ad_network_type, device, {SUM_METRICS}, {TIMES}
FROM c {where}
GROUP BY customer_id, stat_date, day_num, {id_col}{", campaign_id" if extra_cols else ""},
    ad_network_type, device
""",
        description=f"Daily {name.split('_stats')[0].replace('_', ' ')} performance per network and "
        "device, account-zone days; conversions restated for 28 days.",
        mode="state",
        grain=f"{name.split('_stats')[0]} x date x network x device",
        keys=["id", "date", "ad_network_type", "device"],
    )


register(
    RawTable(
        schema=S,
        name="account_history",
        columns=cols(
            "id:int, updated_at:ts, descriptive_name, currency_code, time_zone, "
            "auto_tagging_enabled:bool, test_account:bool, manager:bool, "
            "_fivetran_active:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_at, descriptive_name, currency_code,
    time_zone, auto_tagging_enabled, test_account, manager, {HIST_TAIL}
FROM _world.google_ads_account_versions""",
        description="Google Ads customers (accounts), incl. the manager account and a test "
        "account. " + HIST_DESC,
        mode="state",
        grain="account version",
        keys=["id", "updated_at"],
    ),
    RawTable(
        schema=S,
        name="campaign_history",
        columns=cols(
            "id:int, updated_at:ts, customer_id:int, name, status, serving_status, "
            "advertising_channel_type, advertising_channel_subtype, start_date, "
            "end_date, tracking_url_template, _fivetran_active:bool, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_at, customer_id, name, status,
    serving_status, advertising_channel_type, advertising_channel_subtype, start_date, end_date,
    tracking_url_template, {HIST_TAIL}
FROM _world.google_ads_campaign_versions""",
        description="Campaign versions (renames, pauses). " + HIST_DESC,
        mode="state",
        grain="campaign version",
        keys=["id", "updated_at"],
    ),
    RawTable(
        schema=S,
        name="ad_group_history",
        columns=cols(
            "id:int, updated_at:ts, campaign_id:int, campaign_name, name, status, type, "
            "_fivetran_active:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_at, campaign_id, campaign_name, name,
    status, type, {HIST_TAIL}
FROM _world.google_ads_ad_group_versions""",
        description="Ad group versions (PERFORMANCE_MAX has none). " + HIST_DESC,
        mode="state",
        grain="ad group version",
        keys=["id", "updated_at"],
    ),
    RawTable(
        schema=S,
        name="ad_history",
        columns=cols(
            "id:int, updated_at:ts, ad_group_id:int, name, type, status, display_url, "
            "final_urls, _fivetran_active:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ts_of(updated_us) AS updated_at, ad_group_id, name, type, status,
    display_url, final_urls, {HIST_TAIL}
FROM _world.google_ads_ad_versions""",
        description="Ad versions. final_urls is a Python-list-like string; auto-tagged ads "
        "carry no UTMs (gclid only). " + HIST_DESC,
        mode="state",
        grain="ad version",
        keys=["ad_group_id", "id", "updated_at"],
    ),
    RawTable(
        schema=S,
        name="ad_group_criterion_history",
        columns=cols(
            "id:int, ad_group_id:int, base_campaign_id:int, updated_at:ts, type, status, "
            "keyword_text, keyword_match_type, _fivetran_active:bool, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT id, ad_group_id, base_campaign_id, ts_of(updated_us) AS updated_at, type,
    status, keyword_text, keyword_match_type, {HIST_TAIL}
FROM _world.google_ads_criterion_versions""",
        description="Keyword criteria of the search ad groups. " + HIST_DESC,
        mode="state",
        grain="criterion version",
        keys=["ad_group_id", "id", "updated_at"],
    ),
    _level_stats("account_stats", "customer_id"),
    _level_stats("campaign_stats", "campaign_id"),
    _level_stats("ad_group_stats", "ad_group_id", ", campaign_id:int", "WHERE NOT is_pmax"),
    RawTable(
        schema=S,
        name="ad_stats",
        columns=cols(AD_STATS_COLS),
        sql=f"""WITH c AS ({CELLS})
SELECT {AD_STATS_SELECT}, {METRICS}, {TIMES}
FROM c WHERE NOT is_pmax""",
        description="Daily ad performance per network, device and keyword (account-zone days). "
        "After the resource-name cut-over ad_group_id is often NULL (use ad_group). "
        "No PERFORMANCE_MAX rows. Conversions restated for 28 days.",
        mode="state",
        grain="ad x date x network x device x keyword",
        keys=[
            "customer_id",
            "date",
            "ad_id",
            "ad_network_type",
            "device",
            "keyword_ad_group_criterion",
        ],
    ),
    RawTable(
        schema=S,
        name="keyword_stats",
        columns=cols(
            AD_STATS_COLS.replace(
                "_fivetran_synced:ts", "ad_group_criterion_criterion_id:int, _fivetran_synced:ts"
            )
        ),
        sql=f"""WITH c AS ({CELLS})
SELECT {
            AD_STATS_SELECT.replace(
                "CASE WHEN ad_group_id_null THEN NULL ELSE CAST(ad_group_id AS VARCHAR) END",
                "CAST(ad_group_id AS VARCHAR)",
            )
        }, {METRICS},
    criterion_id AS ad_group_criterion_criterion_id, {TIMES}
FROM c WHERE criterion_id >= 0""",
        description="Daily keyword performance of search campaigns (per ad, network, device).",
        mode="state",
        grain="keyword x ad x date x network x device",
        keys=[
            "customer_id",
            "date",
            "ad_id",
            "ad_group_criterion_criterion_id",
            "ad_network_type",
            "device",
        ],
    ),
    RawTable(
        schema=S,
        name="search_term_keyword_stats",
        columns=cols(
            AD_STATS_COLS.replace(
                "_fivetran_synced:ts",
                "ad_group_criterion_criterion_id:int, search_term, "
                "search_term_match_type, status, _fivetran_synced:ts",
            )
        ),
        sql=f"""WITH c AS ({CELLS})
SELECT {
            AD_STATS_SELECT.replace(
                "CASE WHEN ad_group_id_null THEN NULL ELSE CAST(ad_group_id AS VARCHAR) END",
                "CAST(ad_group_id AS VARCHAR)",
            )
        },
    t.clicks, t.impressions, t.cost_micros, round(conv_asof * t.share, 2) AS conversions,
    round(conv_asof * t.share * value_per_conv, 2) AS conversions_value,
    0 AS view_through_conversions, t.clicks AS interactions,
    criterion_id AS ad_group_criterion_criterion_id, t.search_term, t.search_term_match_type,
    t.status, {TIMES}
FROM c JOIN _world.google_ads_search_terms AS t USING (cell_idx)""",
        description="Search terms that triggered each keyword (per ad, network, device).",
        mode="state",
        grain="search term x keyword x ad x date x network x device",
        keys=[
            "customer_id",
            "date",
            "ad_id",
            "ad_group_criterion_criterion_id",
            "ad_network_type",
            "device",
            "search_term",
            "search_term_match_type",
        ],
    ),
)
