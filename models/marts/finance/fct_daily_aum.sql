{#- One row per customer account (cash, investment, ISA) and day, from the
    account's opening or first posted line, whichever is earlier, to the
    ledger's last posted day: the closing balance in minor and major units
    of the account's currency and in GBP at that day's rate, and the day's
    credits (inflow) and debits (outflow). Days without movement carry the
    balance. Erased people's accounts are absent (their lines carry no
    account id) and the post-hook deletes rows stored before an erasure.

    Incremental (watermark _loaded_at, lookbacks var('ledger_overlap_hours')
    and var('aum_reprocess_days'), see the YAML meta): per account, rows are
    recomputed from the earliest posted day of a line loaded (or left out,
    int_ledger__entries_left_out) after the stored watermark, else from the
    last var('aum_reprocess_days') stored days (late FX rates, late lines);
    a new or changed account (its own _loaded_at) is recomputed whole. The
    balance is carried in from the stored row of the day before; if that
    row is missing the account is recomputed whole. Recomputed rows replace
    stored ones by (account_id, balance_date). -#}
{{ config(
    materialized='incremental',
    incremental_strategy=event_replace_strategy(),
    unique_key=['account_id', 'balance_date'],
    on_schema_change='fail',
    partition_by=(
        {'field': 'balance_date', 'data_type': 'date', 'granularity': 'day'}
        if target.type == 'bigquery' else none
    ),
    cluster_by=['account_id'],
    post_hook=["{{ purge_erased_account_rows() }}"]
) }}

-- depends_on: {{ ref('int_ledger__entries_left_out') }}

with

ledger_entries as (

    select
        account_id,
        owner_type,
        entry_direction,
        amount_minor,
        amount,
        balance_effect_minor,
        balance_effect,
        posted_date,
        _loaded_at
    from {{ ref('int_ledger__entries_enriched') }}

),

accounts as (

    select
        account_id,
        app_user_id,
        account_type,
        currency_code,
        opened_at,
        closed_at,
        quarantine_reason,
        _is_source_deleted,
        _loaded_at
    from {{ ref('stg_app_mysql__accounts') }}
    where
        owner_type = 'customer'
        and {{ not_erased('app_user_id', 'app_user_id') }}

),

users as (

    select
        app_user_id,
        user_id
    from {{ ref('stg_app_mysql__users') }}

),

fx_rates as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}

),

{# the data's end: the last posted day of any line, platform ones too #}
ledger_end as (

    select max(posted_date) as end_date
    from ledger_entries

),

daily_movements as (

    select
        account_id,
        posted_date as balance_date,
        sum(
            case when entry_direction = 'credit' then amount_minor else 0 end
        ) as inflow_amount_minor,
        sum(
            case when entry_direction = 'debit' then amount_minor else 0 end
        ) as outflow_amount_minor,
        sum(case when entry_direction = 'credit' then amount else 0 end)
            as inflow_amount,
        sum(case when entry_direction = 'debit' then amount else 0 end)
            as outflow_amount,
        sum(balance_effect_minor) as net_change_minor,
        sum(balance_effect) as net_change,
        count(*) as entry_count,
        max(_loaded_at) as _loaded_at
    from ledger_entries
    where owner_type = 'customer' and account_id is not null
    group by 1, 2

),

first_movements as (

    select
        account_id,
        min(balance_date) as first_movement_date
    from daily_movements
    group by 1

),

{# a quarantined or source-deleted account stays while it has lines, so
    that balances reconcile with the ledger #}
account_spans as (

    select
        accounts.account_id,
        accounts.app_user_id,
        accounts.account_type,
        accounts.currency_code,
        cast(accounts.opened_at as date) as opened_date,
        cast(accounts.closed_at as date) as closed_date,
        coalesce(
            least(
                cast(accounts.opened_at as date),
                first_movements.first_movement_date
            ),
            cast(accounts.opened_at as date),
            first_movements.first_movement_date
        ) as start_date,
        accounts._loaded_at
    from accounts
    left outer join first_movements
        on accounts.account_id = first_movements.account_id
    where
        first_movements.account_id is not null
        or (
            accounts.quarantine_reason is null
            and not accounts._is_source_deleted
        )

),

{% if is_incremental() %}

stored as (

    select
        account_id,
        balance_date,
        balance_minor,
        balance,
        _loaded_at
    from {{ this }}

),

left_out_entries as (

    select
        account_id,
        posted_date,
        _loaded_at
    from {{ ref('int_ledger__entries_left_out') }}
    where account_id is not null

),

watermark as (

    select
        max(balance_date) as stored_end_date,
        {{ timestamp_add(
            'hour', -1 * var('ledger_overlap_hours', 6), 'max(_loaded_at)'
        ) }} as read_from_at
    from stored

),

{# accounts with lines loaded (or left out) since the last run, from the
    earliest posted day among them #}
touched_days as (

    select
        daily_movements.account_id,
        daily_movements.balance_date as touched_date
    from daily_movements
    cross join watermark
    where daily_movements._loaded_at > watermark.read_from_at
    union all
    select
        left_out_entries.account_id,
        left_out_entries.posted_date as touched_date
    from left_out_entries
    cross join watermark
    where left_out_entries._loaded_at > watermark.read_from_at

),

touched_accounts as (

    select
        account_id,
        min(touched_date) as touched_from_date
    from touched_days
    group by 1

),

candidate_windows as (

    select
        account_spans.*,
        case
            when
                account_spans._loaded_at > watermark.read_from_at
                or watermark.stored_end_date is null
                then account_spans.start_date
            when
                touched_accounts.touched_from_date
                < cast({{ dbt.dateadd(
                    'day',
                    1 - var('aum_reprocess_days', 3),
                    'watermark.stored_end_date'
                ) }} as date)
                then touched_accounts.touched_from_date
            else cast({{ dbt.dateadd(
                'day',
                1 - var('aum_reprocess_days', 3),
                'watermark.stored_end_date'
            ) }} as date)
        end as candidate_from_date
    from account_spans
    cross join watermark
    left outer join touched_accounts
        on account_spans.account_id = touched_accounts.account_id

),

bounded_windows as (

    select
        *,
        case
            when candidate_from_date > start_date then candidate_from_date
            else start_date
        end as bounded_from_date
    from candidate_windows

),

{# the stored row of the day before the window carries the balance in;
    without it the account is recomputed whole #}
windows as (

    select
        bounded_windows.account_id,
        bounded_windows.app_user_id,
        bounded_windows.account_type,
        bounded_windows.currency_code,
        bounded_windows.opened_date,
        bounded_windows.closed_date,
        bounded_windows._loaded_at,
        case
            when stored.account_id is null then bounded_windows.start_date
            else bounded_windows.bounded_from_date
        end as window_start_date,
        coalesce(stored.balance_minor, 0) as carried_balance_minor,
        coalesce(stored.balance, 0) as carried_balance
    from bounded_windows
    left outer join stored
        on
            bounded_windows.account_id = stored.account_id
            and stored.balance_date = cast({{ dbt.dateadd(
                'day', -1, 'bounded_windows.bounded_from_date'
            ) }} as date)

),

{% else %}

windows as (

    select
        account_id,
        app_user_id,
        account_type,
        currency_code,
        opened_date,
        closed_date,
        _loaded_at,
        start_date as window_start_date,
        0 as carried_balance_minor,
        0 as carried_balance
    from account_spans

),

{% endif %}

{# the series ends on the ledger's last day #}
days as (

    {{ day_series(
        '(select min(window_start_date) from windows)',
        '(select end_date from ledger_end)'
    ) }}

),

account_days as (

    select
        windows.*,
        days.day as balance_date
    from windows
    inner join days
        on windows.window_start_date <= days.day

),

movements_joined as (

    select
        account_days.account_id,
        account_days.app_user_id,
        account_days.account_type,
        account_days.currency_code,
        account_days.balance_date,
        account_days.carried_balance_minor,
        account_days.carried_balance,
        coalesce(daily_movements.net_change_minor, 0) as net_change_minor,
        coalesce(daily_movements.net_change, 0) as net_change,
        coalesce(daily_movements.inflow_amount_minor, 0)
            as inflow_amount_minor,
        coalesce(daily_movements.outflow_amount_minor, 0)
            as outflow_amount_minor,
        coalesce(daily_movements.inflow_amount, 0) as inflow_amount,
        coalesce(daily_movements.outflow_amount, 0) as outflow_amount,
        coalesce(daily_movements.entry_count, 0) as entry_count,
        coalesce(
            account_days.opened_date <= account_days.balance_date, true
        )
        and coalesce(
            account_days.closed_date > account_days.balance_date, true
        ) as is_account_open,
        case
            when daily_movements._loaded_at > account_days._loaded_at
                then daily_movements._loaded_at
            else account_days._loaded_at
        end as _loaded_at
    from account_days
    left outer join daily_movements
        on
            account_days.account_id = daily_movements.account_id
            and account_days.balance_date = daily_movements.balance_date

),

balances as (

    select
        *,
        carried_balance_minor + sum(net_change_minor) over (
            partition by account_id
            order by balance_date
            rows between unbounded preceding and current row
        ) as balance_minor,
        carried_balance + sum(net_change) over (
            partition by account_id
            order by balance_date
            rows between unbounded preceding and current row
        ) as balance
    from movements_joined

),

final as (

    select
        balances.account_id,
        balances.balance_date,
        users.user_id,
        {{ hash_key('users.user_id') }} as user_key,
        balances.account_type,
        balances.currency_code,
        cast(balances.balance_minor as {{ dbt.type_bigint() }})
            as balance_minor,
        cast(balances.balance as {{ type_money() }}) as balance,
        {{ to_reporting_currency(
            'balances.balance', 'fx_rates.units_per_reporting_unit'
        ) }} as balance_gbp,
        cast(balances.inflow_amount_minor as {{ dbt.type_bigint() }})
            as inflow_amount_minor,
        cast(balances.outflow_amount_minor as {{ dbt.type_bigint() }})
            as outflow_amount_minor,
        cast(balances.inflow_amount as {{ type_money() }}) as inflow_amount,
        cast(balances.outflow_amount as {{ type_money() }})
            as outflow_amount,
        cast(balances.entry_count as {{ dbt.type_bigint() }})
            as entry_count,
        cast(fx_rates.units_per_reporting_unit as {{ type_money() }})
            as fx_units_per_gbp,
        balances.is_account_open,
        cast(balances._loaded_at as {{ dbt.type_timestamp() }})
            as _loaded_at
    from balances
    left outer join users
        on balances.app_user_id = users.app_user_id
    left outer join fx_rates
        on
            balances.currency_code = fx_rates.currency_code
            and balances.balance_date = fx_rates.rate_date

)

select * from final
