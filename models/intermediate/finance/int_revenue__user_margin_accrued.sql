{#- One row per user x product x month in which the user held money in the
    product: the month's balance-days and the interest margin modelled on
    them, as in int_revenue__interest_margin_accrued but per person (for
    cohort revenue). fct_daily_aum has no product grain (an investment
    account holds several products with different margins), so the daily
    balance of each user x product x currency is rebuilt here from the
    user's investment and ISA lines in int_ledger__entries_enriched: dense
    from the first movement to the data end day (the ledger's last
    posted_date), in GBP at each day's rate. MODELLED, not booked. Erased
    people are absent (their lines carry no user_id). -#}
with

ledger_entries as (

    select
        user_id,
        product_id,
        account_type,
        is_platform_account,
        currency_code,
        balance_effect,
        posted_date
    from {{ ref('int_ledger__entries_enriched') }}

),

fx_rates as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}

),

product_margins as (

    select
        product_id,
        margin_bps
    from {{ ref('int_revenue__product_margins_resolved') }}

),

holding_lines as (

    select
        ledger_entries.user_id,
        ledger_entries.product_id,
        ledger_entries.currency_code,
        ledger_entries.posted_date,
        sum(ledger_entries.balance_effect) as balance_change
    from ledger_entries
    where
        ledger_entries.account_type in ('investment', 'isa')
        and not ledger_entries.is_platform_account
        and ledger_entries.user_id is not null
        and ledger_entries.product_id is not null
        and {{ not_erased('ledger_entries.user_id', 'user_id') }}
    group by 1, 2, 3, 4

),

data_end as (

    select max(posted_date) as data_end_date
    from ledger_entries

),

days as (

    {{ day_series(
        '(select min(posted_date) from holding_lines)',
        '(select data_end_date from data_end)'
    ) }}

),

holdings as (

    select
        user_id,
        product_id,
        currency_code,
        min(posted_date) as first_posted_date
    from holding_lines
    group by 1, 2, 3

),

holding_days as (

    select
        holdings.user_id,
        holdings.product_id,
        holdings.currency_code,
        days.day as balance_date
    from holdings
    inner join days
        on holdings.first_posted_date <= days.day

),

balances as (

    select
        holding_days.user_id,
        holding_days.product_id,
        holding_days.currency_code,
        holding_days.balance_date,
        sum(coalesce(holding_lines.balance_change, 0)) over (
            partition by
                holding_days.user_id,
                holding_days.product_id,
                holding_days.currency_code
            order by holding_days.balance_date
            rows between unbounded preceding and current row
        ) as balance
    from holding_days
    left outer join holding_lines
        on
            holding_days.user_id = holding_lines.user_id
            and holding_days.product_id = holding_lines.product_id
            and holding_days.currency_code = holding_lines.currency_code
            and holding_days.balance_date = holding_lines.posted_date

),

accrued as (

    select
        balances.user_id,
        balances.product_id,
        balances.balance_date,
        {{ to_reporting_currency(
            'balances.balance', 'fx_rates.units_per_reporting_unit'
        ) }} as balance_gbp,
        cast(
            {{ to_reporting_currency(
                'balances.balance', 'fx_rates.units_per_reporting_unit'
            ) }} * product_margins.margin_bps / 3650000
            as {{ type_money() }}
        ) as interest_margin_gbp
    from balances
    left outer join fx_rates
        on
            balances.currency_code = fx_rates.currency_code
            and balances.balance_date = fx_rates.rate_date
    left outer join product_margins
        on balances.product_id = product_margins.product_id

),

monthly as (

    select
        user_id,
        product_id,
        cast(
            {{ dbt.date_trunc('month', 'balance_date') }} as date
        ) as revenue_month,
        count(*) as balance_day_count,
        cast(
            sum(balance_gbp) / count(*) as {{ type_money() }}
        ) as average_balance_gbp,
        cast(sum(interest_margin_gbp) as {{ type_money() }})
            as interest_margin_gbp
    from accrued
    group by 1, 2, 3

)

select * from monthly
