"""One row per metric x day (signups, deposits_gbp, support_conversations,
ad_spend_gbp: test ad accounts left out): the day's value and its
robust z-score against the trailing window before it (median and MAD of
meta kpi_anomaly_window_days days, the day excluded), flagged when
|z| > meta kpi_anomaly_threshold. Dense days from each metric's first day
to yesterday in the reporting timezone (today has not ended). Logic and
tests: src/finstack/ml/anomalies.py, tests/python/test_ml.py."""

import datetime as dt

from finstack.ml import anomalies, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    timezone = dbt.config.meta_get("reporting_timezone", "Europe/London")
    window_days = int(dbt.config.meta_get("kpi_anomaly_window_days", 28))
    threshold = float(dbt.config.meta_get("kpi_anomaly_threshold", 3.5))
    min_history = int(dbt.config.meta_get("kpi_anomaly_min_history_days", 7))
    as_of = dbt.config.meta_get("kpi_anomaly_as_of_date", None)
    end_date = (
        dt.date.fromisoformat(str(as_of))
        if as_of not in (None, "", "None")
        else anomalies.default_end_date(timezone)
    )

    milestones = to_pandas(dbt.ref("int_users__milestones"), ["signed_up_at", "is_internal"])
    transactions = to_pandas(
        dbt.ref("fct_transactions"),
        [
            "transaction_type",
            "transaction_status",
            "owner_type",
            "account_type",
            "entry_direction",
            "posted_at",
            "amount_gbp",
        ],
    )
    conversations = to_pandas(dbt.ref("int_helpscout__conversations_matched"), ["created_date"])
    ads = to_pandas(
        dbt.ref("fct_ad_performance_daily"),
        ["report_date", "spend_gbp", "is_test_account"],
    )
    ads = ads[~ads["is_test_account"].fillna(False).astype(bool)]
    series = {
        "signups": anomalies.daily_signups(milestones, timezone),
        "deposits_gbp": anomalies.daily_deposits_gbp(transactions, timezone),
        "support_conversations": anomalies.daily_support_conversations(conversations),
        "ad_spend_gbp": anomalies.daily_ad_spend_gbp(ads, "report_date", "spend_gbp"),
    }
    return anomalies.kpi_anomalies(
        series,
        end_date,
        window_days=window_days,
        min_history_days=min_history,
        threshold=threshold,
    )
