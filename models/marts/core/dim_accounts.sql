{#- One row per ledger account, customer wallets and holdings and the
    platform's own accounts: owner, type, currency, status, opening and
    closing, the current balance (sum of every posted line's balance
    effect) in minor and major units and in GBP at the rate of the
    ledger's last posted day, and its first and last movements. Erased people's accounts are absent.
    Quarantined or source-deleted accounts stay, flagged, because ledger
    lines may still point at them (fct_transactions.account_id). -#}
with

accounts as (

    select
        account_id,
        account_public_id,
        app_user_id,
        owner_type,
        account_type,
        account_status,
        currency_code,
        is_platform_account,
        quarantine_reason,
        _is_source_deleted,
        opened_at,
        closed_at
    from {{ ref('stg_app_mysql__accounts') }}
    where {{ not_erased('app_user_id', 'app_user_id') }}

),

users as (

    select
        app_user_id,
        user_id
    from {{ ref('stg_app_mysql__users') }}

),

ledger_entries as (

    select
        account_id,
        entry_direction,
        amount_minor,
        amount,
        balance_effect_minor,
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

ledger_end as (

    select max(posted_date) as end_date
    from ledger_entries

),

{# the rate of the ledger's last day (carried over a weekend), not a
    carried rate dated after it #}
latest_fx_rates as (

    select
        fx_rates.rate_date,
        fx_rates.currency_code,
        fx_rates.units_per_reporting_unit
    from fx_rates
    inner join ledger_end
        on fx_rates.rate_date <= ledger_end.end_date
    where true
    qualify
        row_number() over (
            partition by fx_rates.currency_code
            order by fx_rates.rate_date desc
        ) = 1

),

movements as (

    select
        account_id,
        count(*) as movement_count,
        sum(case when entry_direction = 'credit' then 1 else 0 end)
            as credit_count,
        sum(case when entry_direction = 'debit' then 1 else 0 end)
            as debit_count,
        sum(case when entry_direction = 'credit' then amount else 0 end)
            as total_credit_amount,
        sum(case when entry_direction = 'debit' then amount else 0 end)
            as total_debit_amount,
        sum(balance_effect_minor) as balance_minor,
        sum(balance_effect) as balance,
        min(posted_date) as first_movement_date,
        max(posted_date) as last_movement_date
    from ledger_entries
    where account_id is not null
    group by 1

),

final as (

    select
        accounts.account_id,
        accounts.account_public_id,
        users.user_id,
        {{ hash_key('users.user_id') }} as user_key,
        accounts.owner_type,
        accounts.account_type,
        accounts.account_status,
        accounts.currency_code,
        accounts.quarantine_reason,
        cast(coalesce(movements.balance_minor, 0) as {{ dbt.type_bigint() }})
            as current_balance_minor,
        cast(coalesce(movements.balance, 0) as {{ type_money() }})
            as current_balance,
        {{ to_reporting_currency(
            'coalesce(movements.balance, 0)',
            'latest_fx_rates.units_per_reporting_unit'
        ) }} as current_balance_gbp,
        cast(
            latest_fx_rates.units_per_reporting_unit as {{ type_money() }}
        ) as fx_units_per_gbp,
        cast(
            coalesce(movements.movement_count, 0) as {{ dbt.type_bigint() }}
        ) as movement_count,
        cast(
            coalesce(movements.credit_count, 0) as {{ dbt.type_bigint() }}
        ) as credit_count,
        cast(
            coalesce(movements.debit_count, 0) as {{ dbt.type_bigint() }}
        ) as debit_count,
        cast(
            coalesce(movements.total_credit_amount, 0) as {{ type_money() }}
        ) as total_credit_amount,
        cast(
            coalesce(movements.total_debit_amount, 0) as {{ type_money() }}
        ) as total_debit_amount,
        accounts.is_platform_account,
        accounts.account_status = 'open' as is_open,
        accounts.quarantine_reason is not null as is_quarantined,
        accounts._is_source_deleted as is_source_deleted,
        cast(accounts.opened_at as date) as opened_date,
        cast(accounts.closed_at as date) as closed_date,
        movements.first_movement_date,
        movements.last_movement_date,
        latest_fx_rates.rate_date as fx_rate_date,
        accounts.opened_at,
        accounts.closed_at
    from accounts
    left outer join users
        on accounts.app_user_id = users.app_user_id
    left outer join movements
        on accounts.account_id = movements.account_id
    left outer join latest_fx_rates
        on accounts.currency_code = latest_fx_rates.currency_code

)

select * from final
