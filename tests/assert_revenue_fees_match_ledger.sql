{#- Fee income in rpt_revenue_monthly, per month, equals the net of the
    platform_fees accounts in fct_transactions (credits minus debits, in
    GBP), read independently of the revenue models. Returns the months
    where they differ (a month missing on either side counts as 0). -#}
with

revenue as (

    select
        revenue_month,
        revenue_gbp
    from {{ ref('rpt_revenue_monthly') }}
    where revenue_type = 'fee_income'

),

transactions as (

    select
        posted_date,
        balance_effect_gbp
    from {{ ref('fct_transactions') }}
    where account_type = 'platform_fees'

),

revenue_by_month as (

    select
        revenue_month,
        sum(revenue_gbp) as fee_income_gbp
    from revenue
    group by 1

),

ledger_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'posted_date') }} as date)
            as revenue_month,
        sum(balance_effect_gbp) as platform_fees_net_gbp
    from transactions
    group by 1

),

compared as (

    select
        coalesce(
            revenue_by_month.revenue_month, ledger_by_month.revenue_month
        ) as revenue_month,
        coalesce(revenue_by_month.fee_income_gbp, 0) as fee_income_gbp,
        coalesce(ledger_by_month.platform_fees_net_gbp, 0)
            as platform_fees_net_gbp
    from revenue_by_month
    full outer join ledger_by_month
        on revenue_by_month.revenue_month = ledger_by_month.revenue_month

),

mismatched as (

    select *
    from compared
    where abs(fee_income_gbp - platform_fees_net_gbp) > 0.000001

)

select * from mismatched
