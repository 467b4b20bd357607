{#- One row per sign-up month cohort x month of life (0 = the sign-up
    month, UTC calendar months) up to the month of the ledger's last
    posted day: the cohort's size and, per month, its active and depositing
    users, money flows and revenue (int_revenue__user_months_aggregated
    defines each), the cumulative revenue per member (the LTV curve) and
    retention (active / cohort size).

    Members: app users who signed up (int_users__milestones), neither
    internal/test nor erased. Erased people are absent from the size and
    the metrics; their pseudonymised ledger lines carry no user, so their
    money is out of these figures too (it stays in rpt_revenue_monthly).
    Activity before the sign-up month (sessions stitched to the user
    later) is ignored. The month of the ledger's last posted day has not
    ended: its metrics, cumulative revenue and retention are NULL (not 0)
    and is_month_complete is false; cohort_size counts the members so far.
    Month of life is the number of month boundaries between the sign-up
    and the activity (signed up 31 Jan, active 1 Feb = month 1). -#}
with

milestones as (

    select
        user_id,
        signed_up_at
    from {{ ref('int_users__milestones') }}
    where
        not is_internal
        and signed_up_at is not null
        and {{ not_erased('user_id', 'user_id') }}
        and {{ not_erased('app_user_id', 'app_user_id') }}

),

user_months as (

    select
        user_id,
        activity_month,
        deposit_count,
        deposits_gbp,
        withdrawals_gbp,
        net_flows_gbp,
        fees_charged_gbp,
        interest_margin_gbp,
        revenue_gbp,
        incentives_gbp,
        is_active
    from {{ ref('int_revenue__user_months_aggregated') }}

),

ledger_entries as (

    select posted_date
    from {{ ref('int_ledger__entries_enriched') }}

),

data_end as (

    select max(posted_date) as data_end_date
    from ledger_entries

),

members as (

    select
        user_id,
        cast(
            {{ dbt.date_trunc('month', 'signed_up_at') }} as date
        ) as cohort_month
    from milestones

),

cohorts as (

    select
        cohort_month,
        count(*) as cohort_size
    from members
    group by 1

),

days as (

    {{ day_series(
        '(select min(cohort_month) from cohorts)',
        '(select data_end_date from data_end)'
    ) }}

),

months as (

    select
        cast({{ dbt.date_trunc('month', 'days.day') }} as date)
            as activity_month,
        data_end.data_end_date
    from days
    cross join data_end
    group by 1, 2

),

grid as (

    select
        cohorts.cohort_month,
        cohorts.cohort_size,
        months.activity_month,
        months.data_end_date,
        {{ dbt.datediff(
            'cohorts.cohort_month', 'months.activity_month', 'month'
        ) }} as month_of_life,
        cast(
            {{ dbt.dateadd('month', 1, 'months.activity_month') }} as date
        ) <= months.data_end_date as is_month_complete
    from cohorts
    inner join months
        on cohorts.cohort_month <= months.activity_month

),

member_months as (

    select
        members.cohort_month,
        user_months.activity_month,
        count(case when user_months.is_active then 1 end) as active_users,
        count(case when user_months.deposit_count > 0 then 1 end)
            as depositing_users,
        sum(user_months.deposits_gbp) as deposits_gbp,
        sum(user_months.withdrawals_gbp) as withdrawals_gbp,
        sum(user_months.net_flows_gbp) as net_flows_gbp,
        sum(user_months.fees_charged_gbp) as fees_charged_gbp,
        sum(user_months.interest_margin_gbp) as interest_margin_gbp,
        sum(user_months.revenue_gbp) as revenue_gbp,
        sum(user_months.incentives_gbp) as incentives_gbp
    from members
    inner join user_months
        on
            members.user_id = user_months.user_id
            and members.cohort_month <= user_months.activity_month
    group by 1, 2

),

filled as (

    select
        grid.cohort_month,
        grid.month_of_life,
        grid.activity_month,
        grid.cohort_size,
        grid.is_month_complete,
        grid.data_end_date,
        coalesce(member_months.active_users, 0) as active_users,
        coalesce(member_months.depositing_users, 0) as depositing_users,
        coalesce(member_months.deposits_gbp, 0) as deposits_gbp,
        coalesce(member_months.withdrawals_gbp, 0) as withdrawals_gbp,
        coalesce(member_months.net_flows_gbp, 0) as net_flows_gbp,
        coalesce(member_months.fees_charged_gbp, 0) as fees_charged_gbp,
        coalesce(member_months.interest_margin_gbp, 0)
            as interest_margin_gbp,
        coalesce(member_months.revenue_gbp, 0) as revenue_gbp,
        coalesce(member_months.incentives_gbp, 0) as incentives_gbp
    from grid
    left outer join member_months
        on
            grid.cohort_month = member_months.cohort_month
            and grid.activity_month = member_months.activity_month

),

cumulated as (

    select
        *,
        sum(revenue_gbp) over (
            partition by cohort_month
            order by month_of_life
            rows between unbounded preceding and current row
        ) as cumulative_revenue_gbp
    from filled

),

final as (

    select
        cohort_month,
        cast(month_of_life as {{ dbt.type_bigint() }}) as month_of_life,
        activity_month,
        cast(cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        {{ censored(
            'active_users', 'is_month_complete', dbt.type_bigint()
        ) }} as active_users,
        {{ censored(
            'depositing_users', 'is_month_complete', dbt.type_bigint()
        ) }} as depositing_users,
        {{ censored(
            'deposits_gbp', 'is_month_complete', type_money()
        ) }} as deposits_gbp,
        {{ censored(
            'withdrawals_gbp', 'is_month_complete', type_money()
        ) }} as withdrawals_gbp,
        {{ censored(
            'net_flows_gbp', 'is_month_complete', type_money()
        ) }} as net_flows_gbp,
        {{ censored(
            'fees_charged_gbp', 'is_month_complete', type_money()
        ) }} as fees_charged_gbp,
        {{ censored(
            'interest_margin_gbp', 'is_month_complete', type_money()
        ) }} as interest_margin_gbp,
        {{ censored(
            'revenue_gbp', 'is_month_complete', type_money()
        ) }} as revenue_gbp,
        {{ censored(
            'incentives_gbp', 'is_month_complete', type_money()
        ) }} as incentives_gbp,
        {{ censored(
            'cumulative_revenue_gbp', 'is_month_complete', type_money()
        ) }} as cumulative_revenue_gbp,
        {{ censored(
            'cumulative_revenue_gbp / cohort_size',
            'is_month_complete',
            type_money()
        ) }} as cumulative_revenue_per_user_gbp,
        {{ censored(
            'active_users * 1.0 / cohort_size',
            'is_month_complete',
            type_double()
        ) }} as retention_rate,
        is_month_complete,
        data_end_date
    from cumulated

)

select * from final
