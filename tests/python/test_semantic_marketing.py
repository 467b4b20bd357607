"""The marketing, support and monitoring semantic layer against the marts.

Each test runs the real `mf query` on the built tiny warehouse and checks
its numbers against an independent SQL query on the marts (the same
definitions written by hand), so a wrong measure expression, filter, time
dimension or ratio shows up as a difference. Every saved query drawing
data on a dashboard tile is checked by test_dashboard.py.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

PAID_CHANNELS = "('Paid Search', 'Paid Social', 'Display')"


def mf_query(
    warehouse: Any, metrics: list[str], group_by: list[str], where: str | None = None
) -> list[dict[str, Any]]:
    """Rows of `mf query`: '' becomes None, metrics floats, days dates."""
    rows = warehouse.mf_query(metrics, group_by, where)
    return [{key: _value(key, text, metrics) for key, text in row.items()} for row in rows]


def _value(column: str, text: str, metrics: list[str]) -> Any:
    if text == "":
        return None
    if column in metrics:
        return float(text)
    if column.startswith("metric_time__"):
        return dt.date.fromisoformat(text[:10])
    return text


def keyed(rows: list[dict[str, Any]], keys: list[str]) -> dict[tuple, dict[str, Any]]:
    out = {tuple(row[key] for key in keys): row for row in rows}
    assert len(out) == len(rows), "duplicate group-by keys"
    return out


def close(actual: Any, expected: Any) -> bool:
    """Equal, both NULL, or floats within 1e-6 relative."""
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(float(actual), float(expected), rel_tol=1e-6, abs_tol=1e-9)


def ratio(numerator: Any, denominator: Any) -> float | None:
    """MetricFlow's ratio: NULL when the denominator is NULL or 0."""
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def assert_same(
    mf_rows: dict[tuple, dict[str, Any]],
    sql_rows: dict[tuple, dict[str, Any]],
    columns: list[str],
) -> None:
    assert mf_rows.keys() == sql_rows.keys()
    diffs = [
        (key, column, mf_rows[key][column], sql_rows[key][column])
        for key in sql_rows
        for column in columns
        if not close(mf_rows[key][column], sql_rows[key][column])
    ]
    assert not diffs, f"mf query differs from SQL (key, column, mf, sql): {diffs[:10]}"


def test_ad_spend_clicks_and_ctr_by_month_and_platform(built_warehouse):
    metrics = ["ad_spend_gbp", "ad_clicks", "ad_ctr"]
    keys = ["metric_time__month", "ad_performance__platform"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected = {
        (month, platform): {
            "ad_spend_gbp": spend,
            "ad_clicks": clicks,
            "ad_ctr": ratio(clicks, impressions),
        }
        for month, platform, spend, clicks, impressions in built_warehouse.sql(
            """
            select cast(date_trunc('month', report_date) as date), platform,
                sum(spend_gbp), sum(clicks), sum(impressions)
            from fct_ad_performance_daily
            group by 1, 2
            """
        )
    }
    assert_same(got, expected, metrics)


def test_cac_and_roas_by_month_across_spend_and_attribution(built_warehouse):
    """CAC and ROAS divide spend (ad_performance, by report day) and
    conversions credited to paid channels (attributed_conversions, by
    conversion day): two semantic models joined on the month."""
    metrics = [
        "ad_spend_excl_test_gbp",
        "paid_first_deposits_last_non_direct",
        "cac_last_non_direct_gbp",
        "roas_linear",
        "roas_last_non_direct",
    ]
    keys = ["metric_time__month"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    spend = dict(
        built_warehouse.sql(
            """
            select cast(date_trunc('month', report_date) as date),
                sum(spend_gbp)
            from fct_ad_performance_daily
            where not is_test_account
            group by 1
            """
        )
    )
    credited = {
        month: (deposits, linear, last_non_direct)
        for month, deposits, linear, last_non_direct in built_warehouse.sql(
            f"""
            select cast(date_trunc('month', converted_date) as date),
                coalesce(sum(last_non_direct_weight)
                    filter (where conversion_type = 'first_deposit'), 0),
                sum(linear_revenue_gbp),
                sum(last_non_direct_revenue_gbp)
            from fct_attributed_conversions
            where channel in {PAID_CHANNELS}
            group by 1
            """
        )
    }
    expected = {}
    for month in spend.keys() | credited.keys():
        month_spend = spend.get(month)
        deposits, linear, last_non_direct = credited.get(month, (None, None, None))
        expected[(month,)] = {
            "ad_spend_excl_test_gbp": month_spend,
            "paid_first_deposits_last_non_direct": deposits,
            "cac_last_non_direct_gbp": ratio(month_spend, deposits),
            "roas_linear": ratio(linear, month_spend),
            "roas_last_non_direct": ratio(last_non_direct, month_spend),
        }
    assert any(row["cac_last_non_direct_gbp"] for row in expected.values())
    assert_same(got, expected, metrics)


def test_campaign_cac_and_roas_by_platform_match_campaign_report(built_warehouse):
    """By platform the ratios come from rpt_campaign_performance, summed
    before dividing, test accounts and unmatched sessions left out; its
    spend reconciles with fct_ad_performance_daily."""
    metrics = [
        "campaign_spend_gbp",
        "campaign_cac_last_non_direct_gbp",
        "campaign_roas_linear",
    ]
    keys = ["metric_time__month", "campaign_performance__platform"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected = {}
    for month, platform, spend, kept_spend, deposits, revenue in built_warehouse.sql(
        """
        select report_month, platform, sum(spend_gbp),
            sum(spend_gbp) filter (where kept),
            sum(first_deposits_last_non_direct) filter (where kept),
            sum(linear_revenue_gbp) filter (where kept)
        from (
            select *, not is_test_account and not is_unmatched_campaign as kept
            from rpt_campaign_performance
        )
        group by 1, 2
        """
    ):
        expected[(month, platform)] = {
            "campaign_spend_gbp": spend,
            "campaign_cac_last_non_direct_gbp": ratio(kept_spend, deposits),
            "campaign_roas_linear": ratio(revenue, kept_spend),
        }
    assert_same(got, expected, metrics)
    fct_total = built_warehouse.sql("select sum(spend_gbp) from fct_ad_performance_daily")[0][0]
    assert close(sum(row["campaign_spend_gbp"] for row in got.values()), fct_total)


def test_ad_spend_growth_month_on_month(built_warehouse):
    metrics = ["ad_spend_excl_test_gbp", "ad_spend_growth_mom"]
    keys = ["metric_time__month"]
    rows = mf_query(
        built_warehouse,
        metrics,
        keys,
        where="{{ TimeDimension('metric_time', 'month') }} <= CURRENT_DATE",
    )
    got = keyed(rows, keys)
    spend = dict(
        built_warehouse.sql(
            """
            select cast(date_trunc('month', report_date) as date),
                sum(spend_gbp)
            from fct_ad_performance_daily
            where not is_test_account
            group by 1
            """
        )
    )
    expected = {}
    for month, value in spend.items():
        previous = spend.get((month - dt.timedelta(days=1)).replace(day=1))
        growth = None if not previous else (float(value) - float(previous)) / float(previous)
        expected[(month,)] = {"ad_spend_excl_test_gbp": value, "ad_spend_growth_mom": growth}
    assert any(row["ad_spend_growth_mom"] is not None for row in expected.values())
    assert_same(got, expected, metrics)


def test_email_rates_by_campaign_match_email_report(built_warehouse):
    metrics = [
        "email_sends",
        "email_delivery_rate",
        "email_open_rate",
        "email_click_rate",
        "email_unsubscribe_rate",
    ]
    keys = ["email_send__campaign_name"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected = {
        (name,): {
            "email_sends": sends,
            "email_delivery_rate": ratio(delivered, sent),
            "email_open_rate": ratio(human_opened, delivered),
            "email_click_rate": ratio(clicked, delivered),
            "email_unsubscribe_rate": ratio(unsubscribed, delivered),
        }
        for name, sends, sent, delivered, human_opened, clicked, unsubscribed in (
            built_warehouse.sql(
                """
                select campaign_name, sum(send_count), sum(sent_count),
                    sum(delivered_count), sum(human_opened_count),
                    sum(clicked_count), sum(unsubscribed_count)
                from rpt_email_campaigns
                where send_count > 0
                group by 1
                """
            )
        )
    }
    assert_same(got, expected, metrics)


def test_email_open_rate_by_month_leaves_machine_opens_out(built_warehouse):
    metrics = ["email_open_rate", "email_click_to_open_rate"]
    keys = ["metric_time__month"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected = {
        (month,): {
            "email_open_rate": ratio(human, delivered),
            "email_click_to_open_rate": ratio(clicked, human),
        }
        for month, human, delivered, clicked in built_warehouse.sql(
            """
            select cast(date_trunc('month', sent_date) as date),
                count(*) filter (where is_human_opened),
                count(*) filter (where is_delivered),
                count(*) filter (where is_clicked)
            from fct_email_sends
            group by 1
            """
        )
    }
    assert_same(got, expected, metrics)


def test_csat_and_sla_rate_by_month(built_warehouse):
    metrics = ["support_ratings", "csat_rate", "support_sla_rate", "support_sentiment_compound"]
    keys = ["metric_time__month"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected = {
        (month,): {
            "support_ratings": ratings,
            "csat_rate": ratio(great, ratings),
            "support_sla_rate": ratio(met, decided),
            "support_sentiment_compound": sentiment,
        }
        for month, ratings, great, met, decided, sentiment in built_warehouse.sql(
            """
            select cast(date_trunc('month', created_date) as date),
                count(rated_at),
                count(*) filter (where happiness_rating = 'great'),
                count(*) filter (where is_answered_within_sla),
                count(is_answered_within_sla),
                avg(customer_sentiment_compound)
            from fct_support_conversations
            group by 1
            """
        )
    }
    assert any(row["csat_rate"] for row in expected.values())
    assert_same(got, expected, metrics)


def test_conversations_and_first_response_by_mailbox(built_warehouse):
    """Counts and the exact mean match; the median is MetricFlow's
    approximate percentile (approx_quantile on DuckDB, APPROX_QUANTILES on
    BigQuery), so it equals DuckDB's approx_quantile and lies within 2 %
    of the exact median."""
    metrics = [
        "support_conversations",
        "support_mean_first_response_seconds",
        "support_median_first_response_seconds",
    ]
    keys = ["support_conversation__mailbox_name"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected, exact_medians = {}, {}
    for mailbox, count, mean, approx, exact in built_warehouse.sql(
        """
        select mailbox_name, count(*), avg(first_response_business_seconds),
            approx_quantile(first_response_business_seconds, 0.5),
            median(first_response_business_seconds)
        from fct_support_conversations
        group by 1
        """
    ):
        expected[(mailbox,)] = {
            "support_conversations": count,
            "support_mean_first_response_seconds": mean,
            "support_median_first_response_seconds": approx,
        }
        exact_medians[(mailbox,)] = exact
    assert_same(got, expected, metrics)
    for key, exact in exact_medians.items():
        median = got[key]["support_median_first_response_seconds"]
        assert math.isclose(median, exact, rel_tol=0.02), (key, median, exact)


def test_daily_conversations_match_support_daily_report(built_warehouse):
    """support_conversations by day equals rpt_support_daily's new
    conversations on its complete days (the last day is NULL there)."""
    keys = ["metric_time__day"]
    got = keyed(mf_query(built_warehouse, ["support_conversations"], keys), keys)
    report = {
        (day,): {"support_conversations": count}
        for day, count in built_warehouse.sql(
            """
            select report_date, sum(new_conversation_count)
            from rpt_support_daily
            where is_day_complete
            group by 1
            having sum(new_conversation_count) > 0
            """
        )
    }
    assert report
    assert_same({key: got[key] for key in got if key in report}, report, ["support_conversations"])
    last_complete = max(day for (day,) in report)
    assert all(day > last_complete for (day,) in got.keys() - report.keys())


def test_anomaly_counts_by_kpi(built_warehouse):
    metrics = ["kpi_anomalies", "kpi_days_scored", "kpi_anomaly_rate"]
    keys = ["kpi_anomaly__kpi"]
    got = keyed(mf_query(built_warehouse, metrics, keys), keys)
    expected = {
        (kpi,): {
            "kpi_anomalies": flagged,
            "kpi_days_scored": scored,
            "kpi_anomaly_rate": ratio(flagged, scored),
        }
        for kpi, flagged, scored in built_warehouse.sql(
            """
            select metric, count(*) filter (where is_anomaly),
                count(expected_value)
            from rpt_kpi_anomalies
            group by 1
            """
        )
    }
    assert_same(got, expected, metrics)
