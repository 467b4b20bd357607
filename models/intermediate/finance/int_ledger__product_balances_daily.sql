{#- One row per day, customer holding and currency: the closing balance
    held in a product (lines of investment and ISA accounts, product through
    the investment) or in cash wallets (product NULL, holding_type 'cash'),
    in minor and major units and in GBP at that day's rate, and the number
    of accounts with a non-zero position in it. Dense from the holding's
    first line to the ledger's last posted day.

    Built from every line of int_ledger__entries_enriched, erased people's
    pseudonymised ones included, so totals match the books. Their lines
    carry no account id, so positions are counted through the staging
    line's account id; only counts leave this model. A position counts
    from the day its balance turns non-zero until the day it returns to
    zero (+1/-1 changes summed over time, no account x day grid).
    is_day_complete is false for a day the loader had not finished (on or
    after the day of the last line's _loaded_at). -#}
with

ledger_entries as (

    select
        ledger_entry_id,
        product_id,
        owner_type,
        account_type,
        currency_code,
        balance_effect_minor,
        balance_effect,
        posted_date,
        _loaded_at
    from {{ ref('int_ledger__entries_enriched') }}

),

line_accounts as (

    select
        ledger_entry_id,
        account_id
    from {{ ref('stg_app_mysql__ledger_entries') }}

),

fx_rates as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}

),

ledger_bounds as (

    select
        max(posted_date) as end_date,
        cast(max(_loaded_at) as date) as loaded_date
    from ledger_entries

),

holding_lines as (

    select
        line_accounts.account_id,
        ledger_entries.account_type as holding_type,
        case
            when ledger_entries.account_type != 'cash'
                then ledger_entries.product_id
        end as product_id,
        ledger_entries.currency_code,
        ledger_entries.balance_effect_minor,
        ledger_entries.balance_effect,
        ledger_entries.posted_date
    from ledger_entries
    left outer join line_accounts
        on ledger_entries.ledger_entry_id = line_accounts.ledger_entry_id
    where
        ledger_entries.owner_type = 'customer'
        and ledger_entries.account_type in ('cash', 'investment', 'isa')

),

{# one account's position in one holding, per day it moved #}
position_days as (

    select
        account_id,
        holding_type,
        product_id,
        currency_code,
        posted_date,
        sum(balance_effect_minor) as net_change_minor
    from holding_lines
    group by 1, 2, 3, 4, 5

),

position_balances as (

    select
        *,
        sum(net_change_minor) over (
            partition by account_id, holding_type, product_id, currency_code
            order by posted_date
            rows between unbounded preceding and current row
        ) != 0 as is_non_zero
    from position_days

),

position_changes as (

    select
        *,
        case
            when
                is_non_zero
                and not lag(is_non_zero, 1, false) over (
                    partition by
                        account_id, holding_type, product_id, currency_code
                    order by posted_date
                )
                then 1
            when
                not is_non_zero
                and lag(is_non_zero, 1, false) over (
                    partition by
                        account_id, holding_type, product_id, currency_code
                    order by posted_date
                )
                then -1
            else 0
        end as account_count_change
    from position_balances

),

holding_days as (

    select
        holding_type,
        product_id,
        currency_code,
        posted_date,
        sum(account_count_change) as account_count_change
    from position_changes
    group by 1, 2, 3, 4

),

holding_movements as (

    select
        holding_type,
        product_id,
        currency_code,
        posted_date,
        sum(balance_effect_minor) as net_change_minor,
        sum(balance_effect) as net_change
    from holding_lines
    group by 1, 2, 3, 4

),

holdings as (

    select
        holding_type,
        product_id,
        currency_code,
        min(posted_date) as first_posted_date
    from holding_movements
    group by 1, 2, 3

),

days as (

    {{ day_series(
        '(select min(first_posted_date) from holdings)',
        '(select end_date from ledger_bounds)'
    ) }}

),

holding_grid as (

    select
        holdings.holding_type,
        holdings.product_id,
        holdings.currency_code,
        days.day as balance_date
    from holdings
    inner join days
        on holdings.first_posted_date <= days.day

),

{# product_id is NULL for cash: the joins compare it null-safely #}
grid_joined as (

    select
        holding_grid.holding_type,
        holding_grid.product_id,
        holding_grid.currency_code,
        holding_grid.balance_date,
        coalesce(holding_movements.net_change_minor, 0) as net_change_minor,
        coalesce(holding_movements.net_change, 0) as net_change,
        coalesce(holding_days.account_count_change, 0)
            as account_count_change
    from holding_grid
    left outer join holding_movements
        on
            holding_grid.holding_type = holding_movements.holding_type
            and coalesce(holding_grid.product_id, '')
            = coalesce(holding_movements.product_id, '')
            and holding_grid.currency_code = holding_movements.currency_code
            and holding_grid.balance_date = holding_movements.posted_date
    left outer join holding_days
        on
            holding_grid.holding_type = holding_days.holding_type
            and coalesce(holding_grid.product_id, '')
            = coalesce(holding_days.product_id, '')
            and holding_grid.currency_code = holding_days.currency_code
            and holding_grid.balance_date = holding_days.posted_date

),

running as (

    select
        holding_type,
        product_id,
        currency_code,
        balance_date,
        net_change,
        sum(net_change_minor) over (
            partition by holding_type, product_id, currency_code
            order by balance_date
            rows between unbounded preceding and current row
        ) as balance_minor,
        sum(net_change) over (
            partition by holding_type, product_id, currency_code
            order by balance_date
            rows between unbounded preceding and current row
        ) as balance,
        sum(account_count_change) over (
            partition by holding_type, product_id, currency_code
            order by balance_date
            rows between unbounded preceding and current row
        ) as account_count
    from grid_joined

),

final as (

    select
        running.balance_date,
        running.holding_type,
        running.product_id,
        running.currency_code,
        cast(running.balance_minor as {{ dbt.type_bigint() }})
            as balance_minor,
        cast(running.balance as {{ type_money() }}) as balance,
        {{ to_reporting_currency(
            'running.balance', 'fx_rates.units_per_reporting_unit'
        ) }} as balance_gbp,
        cast(running.net_change as {{ type_money() }}) as net_change,
        cast(fx_rates.units_per_reporting_unit as {{ type_money() }})
            as fx_units_per_gbp,
        cast(running.account_count as {{ dbt.type_bigint() }})
            as account_count,
        running.balance_date < ledger_bounds.loaded_date as is_day_complete
    from running
    cross join ledger_bounds
    left outer join fx_rates
        on
            running.currency_code = fx_rates.currency_code
            and running.balance_date = fx_rates.rate_date

)

select * from final
