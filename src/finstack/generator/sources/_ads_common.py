"""Helpers shared by the three ad-platform sources (Google, Facebook, LinkedIn).

- local days: stats days follow the account time zone (LinkedIn: UTC);
- daily cells: impressions, clicks, spend and final conversions per ad-day
  (or finer cell), with clicks never below the sessions the world sent to that ad;
- pauses and zero rows (the "zero rows" defect);
- history versions: 1–6 versions per entity, same-``updated_at`` pairs and
  ``_fivetran_active`` defects, arrival on the connector's 6-hourly syncs;
- SQL fragments for the sync clock and for restatement (conversions of the last
  28 days change between syncs; the stats tables are ``state`` tables).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import numpy as np
import pandas as pd

from finstack.generator.config import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, defect_count
from finstack.generator.world import World

SITE = "https://www.finstack.co.uk"
# rough value of one GBP in each account currency: CPCs are drawn in GBP
FX_FROM_GBP = {"GBP": 1.0, "EUR": 1.17, "USD": 1.27}
# conversions of a day are final once this many days old (restatement window)
RESTATE_DAYS = 28
INF_US = 2**62  # "no next version" in the history helpers
HISTORY_VERSION_P = np.array([0.35, 0.25, 0.15, 0.10, 0.08, 0.07])  # 1..6 versions
SYNC_HOUR_US = 6 * US_PER_HOUR  # stats land in the morning sync after the day


# ---------------------------------------------------------------------------
# days and URLs


def local_day_num(us: np.ndarray, tz: str) -> np.ndarray:
    """Day number (days since 1970-01-01) of each UTC instant in zone ``tz``."""
    us = np.asarray(us, dtype=np.int64)
    if tz == "UTC":
        return us // US_PER_DAY
    t = pd.DatetimeIndex(pd.to_datetime(us, unit="us", utc=True)).tz_convert(tz).tz_localize(None)
    return t.to_numpy().astype("datetime64[D]").astype(np.int64)


def utc_offset_hours(us: np.ndarray, tz: str) -> np.ndarray:
    """UTC offset (hours, e.g. -5.0 / -4.0) of zone ``tz`` at each instant."""
    t = pd.DatetimeIndex(pd.to_datetime(np.asarray(us, dtype=np.int64), unit="us", utc=True))
    local = t.tz_convert(tz).tz_localize(None)
    return ((local - t.tz_localize(None)) / pd.Timedelta(hours=1)).to_numpy().astype(float)


def utm_query(source: str, medium: str, campaign: str, content: str) -> str:
    """UTM query string with the catalogue values (percent-encoded like a browser)."""
    return (
        f"utm_source={quote(source)}&utm_medium={quote(medium)}"
        f"&utm_campaign={quote(campaign)}&utm_content={quote(content)}"
    )


def ad_catalogue(world: World, platform: str) -> pd.DataFrame:
    """The platform's ads joined with their ad group, campaign and account."""
    ads, groups, camps, accts = (
        world["ads"],
        world["ad_groups"],
        world["campaigns"],
        world["ad_accounts"],
    )
    out = ads.merge(
        groups[["ad_group_idx", "ad_group_name", "platform_ad_group_id"]], on="ad_group_idx"
    )
    out = out.merge(camps.drop(columns=["platform"]), on="campaign_idx")
    out = out.merge(accts, on="account_idx")
    return out.loc[out.platform == platform].sort_values("ad_idx").reset_index(drop=True)


# ---------------------------------------------------------------------------
# daily cells


def day_grid(keys: pd.DataFrame, first_day: int, last_day: int) -> pd.DataFrame:
    """Cross ``keys`` (one row per cell) with every day in [first_day, last_day]."""
    days = np.arange(first_day, last_day + 1, dtype=np.int64)
    grid = keys.loc[keys.index.repeat(len(days))].reset_index(drop=True)
    grid["day_num"] = np.tile(days, len(keys))
    return grid


def count_sessions(grid: pd.DataFrame, sess: pd.DataFrame, on: list[str]) -> np.ndarray:
    """Sessions per grid row (``sess`` has the columns ``on``, one row per session)."""
    counts = sess.groupby(on, sort=False).size().rename("_n").reset_index()
    merged = grid[on].merge(counts, on=on, how="left")
    return merged["_n"].fillna(0).to_numpy().astype(np.int64)


def draw_cells(rng: np.random.Generator, grid: pd.DataFrame, n_days: int) -> pd.DataFrame:
    """Impressions, clicks, GBP cost and final conversions of every grid cell.

    ``grid`` needs: ``ad_idx``, ``sessions`` (world sessions in the cell), ``share``
    (the cell's share of its ad's traffic), ``ctr``, ``cpc_gbp``, ``cvr``.
    Clicks = sessions + clicks that never became a tracked session (ad blockers,
    consent banners, bounces), so clicks >= sessions always.
    """
    n = len(grid)
    sessions = grid.sessions.to_numpy()
    per_ad = grid.groupby("ad_idx").sessions.transform("sum").to_numpy() / max(n_days, 1)
    expected_sessions = per_ad * grid.share.to_numpy()
    extra = rng.poisson(0.4 * expected_sessions + 0.6 * grid.share.to_numpy())
    clicks = sessions + extra
    ctr = np.clip(grid.ctr.to_numpy() * rng.lognormal(0.0, 0.15, n), 0.008, 0.05)
    basis = np.maximum(clicks, 1.4 * expected_sessions + 0.6 * grid.share.to_numpy())
    impressions = clicks + rng.poisson(basis * (1.0 / ctr - 1.0))
    cpc = np.clip(grid.cpc_gbp.to_numpy() * rng.lognormal(0.0, 0.2, n), 0.5, 3.0)
    conversions = rng.binomial(clicks, grid.cvr.to_numpy())
    out = grid.copy()
    out["clicks"] = clicks.astype(np.int64)
    out["impressions"] = impressions.astype(np.int64)
    out["cost_gbp"] = clicks * cpc
    out["conv_final"] = conversions.astype(np.int64)
    out["zero_kind"] = np.zeros(n, dtype=np.int16)  # 1: spend 0, 2: stray click while paused
    return out


def apply_pauses_and_zero_rows(
    rng: np.random.Generator,
    cells: pd.DataFrame,
    key: str,
    campaigns: np.ndarray,
    visible_days: tuple[int, int],
    pause_ok: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The "zero rows" defect, then drop cells with no impressions.

    Half of the defect rows are days with impressions but no spend; the other
    half come from pause windows: while a campaign is PAUSED only cells with a
    (stray) click remain, with impressions = clicks and no conversions.
    ``pause_ok`` marks campaigns (by ``campaign_idx``) that may be paused.
    Returns the cells and the pause windows (campaign_idx, first/last day).
    """
    live = cells.impressions.to_numpy() > 0
    target = defect_count(key, int(live.sum()))
    n_spend0 = target // 2
    target_pause = target - n_spend0
    camp = cells.campaign_idx.to_numpy()
    day = cells.day_num.to_numpy()
    # rows a paused campaign-day keeps: cells with sessions, else one stray click
    with_sess = cells.loc[cells.sessions > 0].groupby(["campaign_idx", "day_num"]).size()
    windows = []
    covered = 0
    order = rng.permutation([c for c in campaigns if pause_ok[c]])
    lo, hi = visible_days
    for c in order:  # a handful of campaigns: catalogue loop
        if covered >= target_pause:
            break
        start = int(rng.integers(lo + 3, max(lo + 4, hi - 12)))
        d = start
        while covered < target_pause and d < min(start + 10, hi):
            covered += max(1, int(with_sess.get((c, d), 0)))
            d += 1
        windows.append((int(c), start, d - 1))
    pauses = pd.DataFrame(windows, columns=["campaign_idx", "first_day", "last_day"])
    paused = np.zeros(len(cells), dtype=bool)
    for c, d0, d1 in windows:
        paused |= (camp == c) & (day >= d0) & (day <= d1)
    out = cells.copy()
    stray = paused & (out.sessions.to_numpy() > 0)
    # a paused campaign-day with no session still shows one stray click
    first_cell = ~out.loc[paused].duplicated(["campaign_idx", "day_num"])
    no_sess_day = (
        out.loc[paused].groupby(["campaign_idx", "day_num"]).sessions.transform("sum") == 0
    )
    lone = np.zeros(len(out), dtype=bool)
    lone[np.flatnonzero(paused)[(first_cell & no_sess_day).to_numpy()]] = True
    keep_clicks = np.where(lone, 1, out.sessions.to_numpy())
    sel = stray | lone
    out.loc[sel, "clicks"] = keep_clicks[sel]
    out.loc[sel, "impressions"] = keep_clicks[sel]
    cpc = np.where(out.clicks > 0, out.cost_gbp / np.maximum(out.clicks, 1), 0.5)
    out.loc[sel, "cost_gbp"] = keep_clicks[sel] * cpc[sel]
    out.loc[sel, "conv_final"] = 0
    out.loc[sel, "zero_kind"] = 2
    out.loc[paused & ~sel, "impressions"] = 0
    out.loc[paused & ~sel, "clicks"] = 0
    out = out.loc[out.impressions > 0].reset_index(drop=True)
    # days with impressions and no spend
    cand = np.flatnonzero(
        (out.zero_kind.to_numpy() == 0)
        & (out.day_num.to_numpy() >= lo)
        & (out.day_num.to_numpy() <= hi)
    )
    pick = rng.choice(cand, size=min(n_spend0, len(cand)), replace=False)
    out.loc[pick, "cost_gbp"] = 0.0
    out.loc[pick, "zero_kind"] = 1
    return out, pauses


def pause_instants(pauses: pd.DataFrame, tz: str) -> pd.DataFrame:
    """When each pause window starts and ends: just before local midnight of its first
    day, just after local midnight following its last day."""
    out = pauses.copy()

    def midnight(day: np.ndarray) -> np.ndarray:
        utc = np.asarray(day, dtype=np.int64) * US_PER_DAY
        off = utc_offset_hours(utc, tz) if tz != "UTC" else np.zeros(len(utc))
        return utc - (off * US_PER_HOUR).astype(np.int64)

    out["pause_us"] = midnight(out.first_day.to_numpy()) - 10 * US_PER_MINUTE
    out["resume_us"] = midnight(out.last_day.to_numpy() + 1) + 5 * US_PER_MINUTE
    return out


def forced_and_paused(
    pauses: pd.DataFrame, entity_campaign: np.ndarray
) -> tuple[list[np.ndarray], Callable[[pd.DataFrame], np.ndarray]]:
    """Forced history instants per campaign entity, and a function telling which
    versions (``ent``, ``updated_us``) fall inside a pause window."""
    forced = []
    for c in entity_campaign:  # a few campaigns
        p = pauses.loc[pauses.campaign_idx == c]
        forced.append(
            np.sort(np.concatenate([p.pause_us.to_numpy(), p.resume_us.to_numpy()])).astype(
                np.int64
            )
        )

    def is_paused(hist: pd.DataFrame) -> np.ndarray:
        camp = np.asarray(entity_campaign)[hist.ent.to_numpy()]
        t = hist.updated_us.to_numpy()
        out = np.zeros(len(hist), dtype=bool)
        for r in pauses.itertuples():
            out |= (camp == r.campaign_idx) & (t >= r.pause_us) & (t < r.resume_us)
        return out

    return forced, is_paused


# ---------------------------------------------------------------------------
# history versions


def history_versions(
    rng: np.random.Generator,
    n_entities: int,
    created_us: np.ndarray,
    horizon_us: int,
    forced: list[np.ndarray] | None = None,
) -> pd.DataFrame:
    """1–6 versions per entity: version 0 at creation, the others spread up to the horizon.

    ``forced``: per entity, an array of instants that must be versions (status
    changes such as pause windows). Columns: ``ent``, ``v``, ``n_versions``,
    ``updated_us``, ``renames_after`` (renames in later versions: the last
    version carries the catalogue name), ``edits_after`` (budget edits later).
    """
    forced = forced or [np.array([], dtype=np.int64)] * n_entities
    n_forced = np.array([len(f) for f in forced])
    drawn = rng.choice(6, size=n_entities, p=HISTORY_VERSION_P) + 1
    n_ver = np.minimum(np.maximum(drawn, n_forced + 1), 6)
    ent = np.repeat(np.arange(n_entities), n_ver)
    created = np.asarray(created_us, dtype=np.int64)[ent]
    later = (
        created
        + US_PER_DAY
        + (
            rng.random(len(ent)) * np.maximum(horizon_us - created - 2 * US_PER_DAY, US_PER_DAY)
        ).astype(np.int64)
    )
    v_raw = np.arange(len(ent)) - np.repeat(np.cumsum(n_ver) - n_ver, n_ver)
    times = np.where(v_raw == 0, created, later)
    is_forced = np.zeros(len(ent), dtype=bool)
    # forced instants replace the first random slots
    for e in np.flatnonzero(n_forced):  # few entities with pause windows
        rows = np.flatnonzero(ent == e)[1 : 1 + n_forced[e]]
        times[rows] = forced[e][: len(rows)]
        is_forced[rows] = True
    df = pd.DataFrame({"ent": ent, "updated_us": times, "forced": is_forced})
    df = df.sort_values(["ent", "updated_us"], kind="stable").reset_index(drop=True)
    df["v"] = df.groupby("ent").cumcount()
    df["n_versions"] = n_ver[df.ent.to_numpy()]
    kind = np.where(df.v.to_numpy() == 0, 0, rng.choice(3, size=len(df), p=[0.4, 0.3, 0.3]))
    # 1 rename, 2 budget/setting edit, 0 other
    df["renames_after"] = _count_after(df, kind == 1)
    df["edits_after"] = _count_after(df, kind == 2)
    return df


def _count_after(df: pd.DataFrame, flag: np.ndarray) -> np.ndarray:
    s = pd.Series(flag.astype(np.int64))
    total = s.groupby(df.ent.to_numpy()).transform("sum").to_numpy()
    upto = s.groupby(df.ent.to_numpy()).cumsum().to_numpy()
    return total - upto


def rename(names: np.ndarray, renames_after: np.ndarray) -> np.ndarray:
    """Older names of an entity: the catalogue name once no rename follows."""
    names = np.asarray(names, dtype=object)
    variants = [
        names,
        np.char.add(names.astype(str), " (old)"),
        np.char.upper(names.astype(str)),
        np.char.add(names.astype(str), " - draft"),
        np.char.add("copy of ", names.astype(str)),
    ]
    k = np.minimum(renames_after, len(variants) - 1)
    return np.select([k == i for i in range(len(variants))], variants).astype(object)


def sync_arrival(
    rng: np.random.Generator, updated_us: np.ndarray, every_hours: int = 6
) -> np.ndarray:
    """When the connector lands a change: its next sync (every few hours) plus a few minutes."""
    step = every_hours * US_PER_HOUR
    base = (np.asarray(updated_us, dtype=np.int64) // step + 1) * step
    return base + rng.integers(US_PER_MINUTE, 25 * US_PER_MINUTE, size=len(base))


def history_defects(
    rng: np.random.Generator,
    hists: dict[str, pd.DataFrame],
    end_us: int,
    same_key: str,
    active_key: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Two versions with the same ``updated_at`` and (Google) ``_fivetran_active`` on 0 or 2 rows.

    ``hists`` are all the platform's history frames (with ``arrival_us``): the
    defect rate applies to the entities of the platform as a whole. Adds
    ``same_updated_at``, ``next_arrival_us``, ``next2_arrival_us`` (INF_US when
    none) and ``active_defect`` (0 none, 1 zero active rows, 2 two active rows;
    on every row of the entity). Defect entities are picked among those with a
    second version delivered by ``end_us``.
    """
    names = list(hists)
    n_entities = sum(int(h.ent.nunique()) for h in hists.values())

    def candidates(movable_only: bool) -> np.ndarray:
        out = []
        for t, name in enumerate(names):
            h = hists[name]
            d = h.loc[(h.v >= 1) & (h.arrival_us < end_us)]
            if movable_only:  # a forced version (pause / resume) keeps its own instant
                d = d.loc[~d.forced]
            out += [(t, e) for e in d.ent.unique()]  # entity lists: a few dozen
        return np.array(out, dtype=np.int64).reshape(-1, 2)

    movable = candidates(True)
    n_same = min(defect_count(same_key, n_entities), len(movable))
    same = movable[rng.choice(len(movable), size=n_same, replace=False)]
    eligible = candidates(False)
    n_active = min(defect_count(active_key, n_entities), len(eligible)) if active_key else 0
    active = eligible[rng.choice(len(eligible), size=n_active, replace=False)]
    out = {}
    for t, name in enumerate(names):
        hist = hists[name].copy()
        ents = same[same[:, 0] == t, 1]
        d = hist.loc[
            (hist.v >= 1) & (hist.arrival_us < end_us) & ~hist.forced & hist.ent.isin(ents)
        ]
        last_rows = d.groupby("ent").tail(1).index.to_numpy()
        prev_rows = last_rows - 1
        hist.loc[last_rows, "updated_us"] = hist.loc[prev_rows, "updated_us"].to_numpy()
        hist.loc[last_rows, "arrival_us"] = hist.loc[prev_rows, "arrival_us"].to_numpy()
        hist["same_updated_at"] = hist.ent.isin(ents)
        g = hist.groupby("ent").arrival_us
        hist["next_arrival_us"] = g.shift(-1).fillna(INF_US).astype(np.int64)
        hist["next2_arrival_us"] = g.shift(-2).fillna(INF_US).astype(np.int64)
        pick = np.flatnonzero(active[:, 0] == t)
        kind = pd.Series(np.where(pick % 2 == 0, 1, 2), index=active[pick, 1])
        hist["active_defect"] = (
            kind.reindex(hist.ent.to_numpy()).fillna(0).to_numpy().astype(np.int16)
        )
        out[name] = hist
    return out


# ---------------------------------------------------------------------------
# SQL fragments


def active_sql(prefix: str = "") -> str:
    """``_fivetran_active`` as of the cut-off, with the zero/two-active defect."""
    p = prefix
    now = "epoch_us({cutoff})"
    return (
        f"CASE WHEN {p}active_defect = 1 THEN false "
        f"WHEN {p}next_arrival_us >= {now} THEN true "
        f"WHEN {p}active_defect = 2 AND {p}next2_arrival_us >= {now} THEN true ELSE false END"
    )


def synced_sql(prefix: str = "") -> str:
    """``_fivetran_synced`` of a history row: re-landed when its successor deactivated it."""
    p = prefix
    return (
        f"ts_of(CASE WHEN {p}next_arrival_us < epoch_us({{cutoff}}) "
        f"THEN {p}next_arrival_us ELSE {p}arrival_us END)"
    )


def sync_day_sql(day_col: str = "day_num") -> str:
    """Day number of the stats row's latest sync before the cut-off.

    Rows are re-synced daily while younger than ``RESTATE_DAYS`` days."""
    cutoff_day = "(date_diff('day', DATE '1970-01-01', CAST({cutoff} AS DATE)) - 1)"
    return f"least({cutoff_day}, {day_col} + {RESTATE_DAYS})"


def sync_ts_sql(ns: str, day_expr: str) -> str:
    """The morning sync of day ``day_expr`` (06:00 UTC plus up to 50 minutes)."""
    return (
        f"ts_of(CAST(({day_expr}) * {US_PER_DAY} + {SYNC_HOUR_US} "
        f"+ floor(u01('{ns}', {day_expr}) * 50) * {US_PER_MINUTE} AS BIGINT))"
    )


def restate_frac_sql(day_col: str = "day_num") -> str:
    """Share of a day's final conversions reported at its latest sync (1 once final)."""
    age = f"({sync_day_sql(day_col)} - {day_col})"
    return (
        f"(CASE WHEN {age} >= {RESTATE_DAYS} THEN 1.0 "
        f"ELSE 1.0 - 0.45 * exp(-({age} - 1) / 5.0) END)"
    )


def stats_times_sql(ns: str, day_col: str = "day_num") -> str:
    """``_fivetran_synced`` (latest sync) and ``_arrival_at`` (first sync) of a stats row."""
    return (
        f"{sync_ts_sql(ns, sync_day_sql(day_col))} AS _fivetran_synced, "
        f"{sync_ts_sql(ns, day_col + ' + 1')} AS _arrival_at"
    )


# ---------------------------------------------------------------------------
# one stats row per ad and day (Facebook, LinkedIn)


def ad_day_cells(
    world: World, rng: np.random.Generator, cat: pd.DataFrame, tz: str, zero_key: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily cells per ad (days in ``tz``), zero rows applied, and the pause windows.

    Adds ``ctr``/``cpc_gbp``/``cvr`` draws per ad or campaign, the world's
    session count per ad-day, and the catalogue columns of each ad."""
    win = world.window
    s = world["sessions"]
    s = s.loc[s.ad_idx.isin(cat.ad_idx)]
    sess = pd.DataFrame(
        {"ad_idx": s.ad_idx.to_numpy(), "day_num": local_day_num(s.start_us.to_numpy(), tz)}
    )
    first = int(local_day_num(np.array([win.start_us]), tz)[0])
    if len(sess):
        first = min(first, int(sess.day_num.min()))
    last = int(local_day_num(np.array([win.horizon_us - 1]), tz)[0])
    keys = cat[["ad_idx", "campaign_idx"]].copy()
    grid = day_grid(keys, first, last)
    grid["sessions"] = count_sessions(grid, sess, ["ad_idx", "day_num"])
    grid["share"] = 1.0
    camps = cat.drop_duplicates("campaign_idx")
    ctr = dict(zip(cat.ad_idx, rng.uniform(0.01, 0.04, len(cat)), strict=True))
    cpc = dict(zip(camps.campaign_idx, rng.uniform(0.6, 3.0, len(camps)), strict=True))
    cvr = dict(zip(camps.campaign_idx, rng.uniform(0.03, 0.10, len(camps)), strict=True))
    grid["ctr"] = grid.ad_idx.map(ctr)
    grid["cpc_gbp"] = grid.campaign_idx.map(cpc)
    grid["cvr"] = grid.campaign_idx.map(cvr)
    cells = draw_cells(rng, grid, last - first + 1)
    visible = (
        int(local_day_num(np.array([win.start_us]), tz)[0]),
        int(local_day_num(np.array([win.end_us - 1]), tz)[0]),
    )
    pause_ok = np.zeros(int(world["campaigns"].campaign_idx.max()) + 1, dtype=bool)
    pause_ok[camps.campaign_idx.to_numpy()] = ~camps.is_test.to_numpy()
    cells, pauses = apply_pauses_and_zero_rows(
        rng, cells, zero_key, camps.campaign_idx.to_numpy(), visible, pause_ok
    )
    cells = cells.drop(columns=["ctr", "cpc_gbp", "cvr", "share", "campaign_idx"])
    cells = cells.merge(cat, on="ad_idx", how="left")
    cells = cells.sort_values(["ad_idx", "day_num"]).reset_index(drop=True)
    cells.insert(0, "cell_idx", np.arange(len(cells), dtype=np.int64))
    return cells, pause_instants(pauses, tz)


def history_frame(
    rng: np.random.Generator,
    entities: pd.DataFrame,
    created_us: np.ndarray,
    horizon_us: int,
    forced: list[np.ndarray] | None = None,
) -> pd.DataFrame:
    """``history_versions`` joined with the entity columns and the sync arrival."""
    h = history_versions(rng, len(entities), created_us, horizon_us, forced)
    e = entities.iloc[h.ent.to_numpy()].reset_index(drop=True)
    h = pd.concat([h, e.drop(columns=[c for c in e.columns if c in h.columns])], axis=1)
    h["created_us"] = np.asarray(created_us, dtype=np.int64)[h.ent.to_numpy()]
    h["arrival_us"] = sync_arrival(rng, h.updated_us.to_numpy())
    return h


def pick_counts(rng: np.random.Generator, n: int, keys: list[str]) -> np.ndarray:
    """Assign each of ``n`` rows one of the defect ``keys`` (``defect_count`` rows each,
    in order, while rows remain) or -1 for none."""
    out = np.full(n, -1, dtype=np.int64)
    order = rng.permutation(n)
    at = 0
    for i, key in enumerate(keys):
        k = min(defect_count(key, n), n - at)
        out[order[at : at + k]] = i
        at += k
    return out
