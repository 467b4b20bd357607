"""Robust anomaly scores of daily KPIs (rpt_kpi_anomalies).

Each metric is a dense daily series (0 on days nothing happened) from its
first day with data to the as-of date. A day is scored against the trailing
window of the ``window_days`` days before it (the day itself excluded):
expected_value = the window's median, mad = its median absolute deviation,
robust_z = 0.6745 * (value - median) / mad (Iglewicz & Hoaglin). When the
MAD is 0 (over half the window equal, common for sparse counts) the mean
absolute deviation stands in: z = (value - median) / (1.253314 * meanAD);
when that is 0 too (a constant window) z is NULL and any departure from the
constant is an anomaly. Days with fewer than ``min_history_days`` trailing
days get NULL scores and are never anomalies.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

MAD_SCALE = 0.6745
MEAN_AD_SCALE = 1.253314
OUTPUT_COLUMNS = [
    "metric",
    "metric_date",
    "value",
    "trailing_days",
    "expected_value",
    "mad",
    "robust_z",
    "is_anomaly",
    "direction",
]


def _reporting_dates(ts: pd.Series, timezone: str) -> pd.Series:
    """Reporting-timezone date of naive-UTC (or aware) timestamps."""
    ts = pd.to_datetime(ts)
    if ts.dt.tz is None:
        ts = ts.dt.tz_localize("UTC")
    return ts.dt.tz_convert(ZoneInfo(timezone)).dt.date


def daily_signups(milestones: pd.DataFrame, timezone: str) -> pd.Series:
    """Sign-ups per reporting day (internal/staff users left out)."""
    m = milestones[milestones["signed_up_at"].notna()]
    if "is_internal" in m:
        m = m[~m["is_internal"].fillna(False).astype(bool)]
    return _count_by(_reporting_dates(m["signed_up_at"], timezone))


def daily_deposits_gbp(transactions: pd.DataFrame, timezone: str) -> pd.Series:
    """GBP of completed deposits credited to customer cash, per reporting
    day of posted_at (reversed deposits included: they happened)."""
    t = transactions
    mask = (
        (t["transaction_type"] == "deposit")
        & (t["transaction_status"] == "completed")
        & (t["owner_type"] == "customer")
        & (t["account_type"] == "cash")
        & (t["entry_direction"] == "credit")
    )
    t = t[mask]
    days = _reporting_dates(t["posted_at"], timezone)
    return t["amount_gbp"].astype("float64").groupby(days.values).sum().sort_index()


def daily_support_conversations(conversations: pd.DataFrame) -> pd.Series:
    """Kept conversations per reporting day of creation (created_date)."""
    return _count_by(pd.to_datetime(conversations["created_date"]).dt.date)


def daily_ad_spend_gbp(ads: pd.DataFrame, date_column: str, spend_column: str) -> pd.Series:
    """Ad spend (GBP) per day, all platforms and campaigns summed."""
    days = pd.to_datetime(ads[date_column]).dt.date
    return ads[spend_column].astype("float64").groupby(days.values).sum().sort_index()


def _count_by(days: pd.Series) -> pd.Series:
    return days.value_counts().sort_index().astype("float64")


def densify(series: pd.Series, end_date: dt.date) -> pd.Series:
    """Every day from the series' first day to end_date (0 where missing);
    days after end_date dropped. Empty in, empty out."""
    series = series[[d <= end_date for d in series.index]] if len(series) else series
    if series.empty:
        return pd.Series(dtype="float64")
    days = pd.date_range(min(series.index), end_date, freq="D").date
    return series.reindex(days, fill_value=0.0).astype("float64")


def robust_scores(
    values: pd.Series,
    window_days: int = 28,
    min_history_days: int = 7,
    threshold: float = 3.5,
) -> pd.DataFrame:
    """Scores of a dense daily series (index: consecutive days)."""
    v = values.to_numpy(dtype="float64")
    n = len(v)
    trailing = np.zeros(n, dtype="int64")
    expected = np.full(n, np.nan)
    mad = np.full(n, np.nan)
    z = np.full(n, np.nan)
    anomaly = np.zeros(n, dtype=bool)
    for i in range(n):
        window = v[max(0, i - window_days) : i]
        trailing[i] = len(window)
        if len(window) < min_history_days:
            continue
        med = float(np.median(window))
        dev = np.abs(window - med)
        m = float(np.median(dev))
        expected[i], mad[i] = med, m
        diff = v[i] - med
        if m > 0:
            z[i] = MAD_SCALE * diff / m
        elif dev.mean() > 0:
            z[i] = diff / (MEAN_AD_SCALE * dev.mean())
        if not np.isnan(z[i]):
            anomaly[i] = abs(z[i]) > threshold
        else:
            anomaly[i] = diff != 0
    direction = np.where(anomaly, np.where(v > expected, "up", "down"), None)
    return pd.DataFrame(
        {
            "metric_date": list(values.index),
            "value": v,
            "trailing_days": trailing,
            "expected_value": expected,
            "mad": mad,
            "robust_z": z,
            "is_anomaly": anomaly,
            "direction": direction,
        }
    )


def kpi_anomalies(
    series: dict[str, pd.Series],
    end_date: dt.date,
    window_days: int = 28,
    min_history_days: int = 7,
    threshold: float = 3.5,
) -> pd.DataFrame:
    """One row per metric x day of every (densified) series."""
    frames = []
    for metric, s in series.items():
        dense = densify(s, end_date)
        if dense.empty:
            continue
        scored = robust_scores(dense, window_days, min_history_days, threshold)
        scored.insert(0, "metric", metric)
        frames.append(scored)
    if not frames:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in OUTPUT_COLUMNS})
    else:
        out = pd.concat(frames, ignore_index=True)
    out["metric_date"] = pd.to_datetime(out["metric_date"]).dt.date
    out = out.astype(
        {
            "value": "float64",
            "trailing_days": "int64",
            "expected_value": "float64",
            "mad": "float64",
            "robust_z": "float64",
            "is_anomaly": "bool",
        }
    )
    out["direction"] = out["direction"].astype(object)
    return out[OUTPUT_COLUMNS].sort_values(["metric", "metric_date"]).reset_index(drop=True)


def default_end_date(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Yesterday in the reporting timezone: today has not ended."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(timezone)).date() - dt.timedelta(days=1)
