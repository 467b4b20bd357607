"""The semantic layer of the core, product and finance marts against the marts.

Each test runs the real `mf query` command (CSV output) on the tiny
warehouse and recomputes the same numbers with an independent SQL query on
the marts: simple, ratio, cumulative, derived, conversion and semi-additive
metrics. That every saved query draws data on a dashboard tile is
checked by test_dashboard.py.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any


def day(value: Any) -> str:
    """A date, datetime or MetricFlow CSV timestamp as YYYY-MM-DD."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return str(value)[:10]


def number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def assert_close(actual: Any, expected: Any, what: str) -> None:
    """Equal within a 1e-6 relative tolerance (None only equals None)."""
    actual, expected = number(actual), number(expected)
    if actual is None or expected is None:
        assert actual is None and expected is None, f"{what}: {actual} != {expected}"
        return
    assert math.isclose(actual, expected, rel_tol=1e-6, abs_tol=1e-9), (
        f"{what}: mf {actual} != sql {expected}"
    )


def by_key(rows: Iterable[dict[str, str]], *columns: str) -> dict[tuple, dict[str, str]]:
    keyed = {tuple(row[column] for column in columns): row for row in rows}
    return keyed


# -- simple -------------------------------------------------------------------


def test_simple_sign_ups_and_deposits_by_month(built_warehouse):
    rows = built_warehouse.mf_query(
        ["sign_ups", "deposits_gbp", "deposit_count"],
        ["metric_time__month"],
    )
    sign_ups = dict(
        built_warehouse.sql(
            """
            select date_trunc('month', signed_up_at), count(*)
            from dim_users
            where not is_internal
            group by 1
            """
        )
    )
    deposits = {
        month: (amount, count)
        for month, amount, count in built_warehouse.sql(
            """
            select
                date_trunc('month', posted_at),
                sum(amount_gbp),
                count(distinct transaction_id)
            from fct_transactions
            where
                transaction_type = 'deposit'
                and account_type = 'cash'
                and entry_direction = 'credit'
                and transaction_status = 'completed'
                and not is_reversed
                and not is_reversal
            group by 1
            """
        )
    }
    sign_ups = {day(month): count for month, count in sign_ups.items()}
    deposits = {day(month): value for month, value in deposits.items()}
    seen = {day(row["metric_time__month"]): row for row in rows}
    assert {m for m, r in seen.items() if r["sign_ups"]} == set(sign_ups)
    assert {m for m, r in seen.items() if r["deposits_gbp"]} == set(deposits)
    for month, count in sign_ups.items():
        assert int(seen[month]["sign_ups"]) == count, month
    for month, (amount, count) in deposits.items():
        assert_close(seen[month]["deposits_gbp"], amount, f"deposits {month}")
        assert int(seen[month]["deposit_count"]) == count, month
    assert sum(sign_ups.values()) > 0


def test_deposits_by_user_dimension_match_dim_users(built_warehouse):
    """The ledger metric joined to the user agrees with dim_users' lifetime
    deposits (same filters: completed, not reversed, no reversal lines)."""
    rows = built_warehouse.mf_query(
        ["deposits_gbp", "customer_fees_gbp", "withdrawals_gbp"],
        ["user__signup_platform"],
    )
    expected = built_warehouse.sql(
        """
        select
            signup_platform,
            sum(lifetime_deposits_gbp),
            sum(lifetime_fees_gbp),
            sum(lifetime_withdrawals_gbp)
        from dim_users
        group by 1
        """
    )
    seen = by_key(rows, "user__signup_platform")
    for platform, deposits, fees, withdrawals in expected:
        row = seen[(platform,)]
        assert_close(row["deposits_gbp"], deposits, f"deposits {platform}")
        assert_close(row["customer_fees_gbp"], fees, f"fees {platform}")
        assert_close(row["withdrawals_gbp"], withdrawals, f"withdrawals {platform}")
    assert any(deposits for _, deposits, _, _ in expected)


# -- ratio --------------------------------------------------------------------


def test_ratio_metrics_bounce_and_experiment_conversion(built_warehouse):
    bounce = built_warehouse.mf_query(["bounce_rate"], ["session__channel"])
    expected = built_warehouse.sql(
        """
        select
            channel,
            sum(case when is_bounce then 1 else 0 end) / count(*)
        from fct_sessions
        group by 1
        """
    )
    seen = by_key(bounce, "session__channel")
    assert len(seen) == len(expected)
    for channel, rate in expected:
        assert_close(seen[(channel,)]["bounce_rate"], rate, f"bounce {channel}")

    conversion = built_warehouse.mf_query(
        ["experiment_conversion_rate"],
        [
            "experiment_variation__experiment_name",
            "experiment_variation__variation_name",
        ],
    )
    expected = built_warehouse.sql(
        """
        select
            experiment_name,
            variation_name,
            sum(converted_count) / nullif(sum(analysed_count), 0),
            max(conversion_rate)
        from rpt_experiment_results
        group by 1, 2
        """
    )
    seen = by_key(
        conversion,
        "experiment_variation__experiment_name",
        "experiment_variation__variation_name",
    )
    assert len(seen) == len(expected)
    for experiment, variation, rate, rounded in expected:
        value = seen[(experiment, variation)]["experiment_conversion_rate"]
        assert_close(value, rate, f"conversion {experiment} {variation}")
        if rounded is not None:  # the report rounds to 6 decimals
            assert abs(float(value) - rounded) <= 5e-7


def test_ratio_weekly_retention_and_onboarding_completion(built_warehouse):
    retention = built_warehouse.mf_query(
        ["weekly_retention_rate"],
        [
            "retention_cohort__cohort_start_date__week",
            "retention_cohort__period_number",
        ],
        where=(
            "{{ Dimension('retention_cohort__cohort_granularity') }} = 'week' and "
            "{{ Dimension('retention_cohort__cohort_basis') }} = 'first_activity'"
        ),
    )
    expected = built_warehouse.sql(
        """
        select cohort_start_date, period_number, retention_rate
        from rpt_retention_cohorts
        where cohort_granularity = 'week' and cohort_basis = 'first_activity'
        """
    )
    seen = by_key(
        retention,
        "retention_cohort__cohort_start_date__week",
        "retention_cohort__period_number",
    )
    assert len(seen) == len(expected)
    assert sum(rate is not None for _, _, rate in expected) >= 10
    for start, period, rate in expected:
        row = next(r for (w, p), r in seen.items() if day(w) == day(start) and int(p) == period)
        assert_close(row["weekly_retention_rate"], rate, f"retention {start} +{period}")

    flows = built_warehouse.mf_query(
        ["onboarding_completion_rate"],
        ["onboarding_flow__flow_name"],
    )
    expected = built_warehouse.sql("select flow_name, completion_rate from rpt_onboarding_flows")
    seen = by_key(flows, "onboarding_flow__flow_name")
    assert len(seen) == len(expected)
    for flow, rate in expected:
        assert_close(seen[(flow,)]["onboarding_completion_rate"], rate, f"flow {flow}")


def test_ratio_arpu_by_month(built_warehouse):
    rows = built_warehouse.mf_query(["arpu_gbp"], ["metric_time__month"])
    expected = built_warehouse.sql(
        """
        with revenue as (
            select revenue_month as month, sum(revenue_gbp) as revenue
            from rpt_revenue_monthly
            group by 1
        ),

        active as (
            select activity_month as month, sum(active_users) as active
            from rpt_cohort_metrics
            group by 1
        )

        select revenue.month, revenue.revenue / nullif(active.active, 0)
        from revenue
        inner join active
            on revenue.month = active.month
        """
    )
    seen = {day(row["metric_time__month"]): row["arpu_gbp"] for row in rows}
    assert expected
    for month, arpu in expected:
        assert_close(seen[day(month)], arpu, f"arpu {month}")
    assert any(arpu is not None for _, arpu in expected)


# -- cumulative ---------------------------------------------------------------


def test_cumulative_running_revenue(built_warehouse):
    rows = built_warehouse.mf_query(["running_revenue_gbp"], ["metric_time__month"])
    monthly = built_warehouse.sql(
        "select revenue_month, sum(revenue_gbp) from rpt_revenue_monthly group by 1"
    )
    months = {day(month): float(amount) for month, amount in monthly}
    assert months
    for row in rows:
        month = day(row["metric_time__month"])
        earlier = [amount for m, amount in months.items() if m <= month]
        expected = sum(earlier) if earlier else None
        assert_close(row["running_revenue_gbp"], expected, f"running {month}")
    assert {day(row["metric_time__month"]) for row in rows} >= set(months)


def test_cumulative_aum_at_booked_rates_is_month_end(built_warehouse):
    """period_agg last: a month shows the running sum to its last day."""
    rows = built_warehouse.mf_query(
        ["aum_booked_gbp"],
        ["metric_time__month"],
        where="cast({{ TimeDimension('metric_time', 'month') }} as date) <= current_date",
    )
    daily = built_warehouse.sql(
        """
        select posted_date, sum(balance_effect_gbp)
        from fct_transactions
        where owner_type = 'customer'
        group by 1
        """
    )
    assert daily
    for row in rows:
        month = dt.date.fromisoformat(day(row["metric_time__month"]))
        month_end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        lines = [float(v) for posted, v in daily if posted < month_end]
        expected = sum(lines) if lines else None
        assert_close(row["aum_booked_gbp"], expected, f"aum booked {month}")
    assert any(row["aum_booked_gbp"] for row in rows)


# -- semi-additive --------------------------------------------------------------


def test_semi_additive_aum_is_the_last_day_of_each_month(built_warehouse):
    rows = built_warehouse.mf_query(
        ["aum_gbp"],
        ["metric_time__month", "account_day__account_type"],
    )
    expected = built_warehouse.sql(
        """
        with month_ends as (
            select
                date_trunc('month', balance_date) as month,
                max(balance_date) as month_end
            from fct_daily_aum
            group by 1
        )

        select month_ends.month, fct_daily_aum.account_type,
            sum(fct_daily_aum.balance_gbp)
        from fct_daily_aum
        inner join month_ends
            on fct_daily_aum.balance_date = month_ends.month_end
        group by 1, 2
        """
    )
    seen = by_key(rows, "metric_time__month", "account_day__account_type")
    seen = {(day(month), kind): row for (month, kind), row in seen.items()}
    assert len(seen) == len(expected)
    for month, kind, amount in expected:
        assert_close(seen[(day(month), kind)]["aum_gbp"], amount, f"aum {month} {kind}")

    # no time group (the Overview KPI): the latest day only, never a sum of days
    total = built_warehouse.mf_query(["aum_gbp"])
    (latest,) = built_warehouse.sql(
        """
        select sum(balance_gbp) from fct_daily_aum
        where balance_date = (select max(balance_date) from fct_daily_aum)
        """
    )
    assert len(total) == 1
    assert_close(total[0]["aum_gbp"], latest[0], "aum latest")


# -- derived ----------------------------------------------------------------------


def test_derived_month_over_month_growth(built_warehouse):
    rows = built_warehouse.mf_query(
        ["sign_ups_mom_growth", "deposits_mom_growth"],
        ["metric_time__month"],
    )
    sign_ups = {
        day(month): count
        for month, count in built_warehouse.sql(
            """
            select date_trunc('month', signed_up_at), count(*)
            from dim_users where not is_internal group by 1
            """
        )
    }
    deposits = {
        day(month): float(amount)
        for month, amount in built_warehouse.sql(
            """
            select date_trunc('month', posted_at), sum(amount_gbp)
            from fct_transactions
            where
                transaction_type = 'deposit' and account_type = 'cash'
                and entry_direction = 'credit'
                and transaction_status = 'completed'
                and not is_reversed and not is_reversal
            group by 1
            """
        )
    }

    def growth(series: dict[str, float], month: str) -> float | None:
        current = dt.date.fromisoformat(month)
        previous = (current - dt.timedelta(days=1)).replace(day=1).isoformat()
        if month not in series or not series.get(previous):
            return None
        return (series[month] - series[previous]) / series[previous]

    checked = 0
    for row in rows:
        month = day(row["metric_time__month"])
        assert_close(row["sign_ups_mom_growth"], growth(sign_ups, month), f"su {month}")
        assert_close(row["deposits_mom_growth"], growth(deposits, month), f"dep {month}")
        checked += row["sign_ups_mom_growth"] != ""
    assert checked >= 1


# -- conversion -------------------------------------------------------------------


def test_conversion_sign_up_to_first_deposit_within_30_days(built_warehouse):
    """Base: non-internal sign-ups by sign-up month; converted when the first
    deposit falls on the sign-up day or one of the 29 days after it."""
    rows = built_warehouse.mf_query(
        ["signup_to_first_deposit_rate_30d"],
        ["metric_time__month"],
    )
    expected = built_warehouse.sql(
        """
        select
            date_trunc('month', signed_up_at),
            count(
                case
                    when
                        cast(first_deposit_at as date)
                        - cast(signed_up_at as date) between 0 and 29
                        then user_id
                end
            ) / count(*)
        from dim_users
        where not is_internal
        group by 1
        """
    )
    seen = {day(row["metric_time__month"]): row for row in rows}
    assert len(seen) == len(expected)
    for month, rate in expected:
        assert_close(seen[day(month)]["signup_to_first_deposit_rate_30d"], rate, f"rate {month}")
    assert any(rate for _, rate in expected)


def test_conversion_first_visit_to_sign_up_within_7_days(built_warehouse):
    """Base: users by week of their first tracked session; converted when
    they (not internal) signed up that day or in the 6 days after it."""
    rows = built_warehouse.mf_query(
        ["visit_to_signup_rate_7d", "new_visitors"],
        ["metric_time__week"],
    )
    expected = built_warehouse.sql(
        """
        with first_visits as (
            select user_id, session_start_at
            from fct_sessions
            where user_session_number = 1
        )

        select
            date_trunc('week', first_visits.session_start_at),
            count(distinct first_visits.user_id),
            count(
                case
                    when
                        not dim_users.is_internal
                        and cast(dim_users.signed_up_at as date)
                        - cast(first_visits.session_start_at as date)
                        between 0 and 6
                        then dim_users.user_id
                end
            ) / count(distinct first_visits.user_id)
        from first_visits
        left join dim_users
            on first_visits.user_id = dim_users.user_id
        group by 1
        """
    )
    seen = {day(row["metric_time__week"]): row for row in rows}
    assert len(seen) == len(expected)
    for week, visitors, rate in expected:
        row = seen[day(week)]
        assert int(row["new_visitors"]) == visitors, week
        assert_close(row["visit_to_signup_rate_7d"], rate, f"rate {week}")
