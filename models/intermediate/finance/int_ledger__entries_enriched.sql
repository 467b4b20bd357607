{#- One row per interpretable ledger line (staging quarantine and
    source-deleted lines are listed in int_ledger__entries_left_out):
    its transaction's type and status, the account and its owner, the
    product (through the investment), the amount in minor and major units
    of its currency, the balance effect (credits raise a customer's
    balance), and the amount in GBP at the posting day's rate.
    Erased people's lines stay, because the ledger must reconcile, but
    pseudonymised: user, account, investment and external ids NULL and
    is_erased_subject true; the other lines of their transactions (the
    platform side) lose the investment and external ids too, which would
    lead back to them. _loaded_at (the line's sync time) is the
    watermark of the incremental fct_daily_aum. -#}
with

ledger_entries as (

    select
        ledger_entry_id,
        transaction_id,
        account_id,
        entry_direction,
        currency_code,
        amount_minor,
        amount,
        posted_at,
        _loaded_at
    from {{ ref('stg_app_mysql__ledger_entries') }}
    where quarantine_reason is null and not _is_source_deleted

),

transactions as (

    select
        transaction_id,
        investment_id,
        transaction_type,
        transaction_status,
        external_provider,
        external_id,
        is_retry,
        is_reversal,
        is_reversed
    from {{ ref('stg_app_mysql__transactions') }}

),

accounts as (

    select
        account_id,
        app_user_id,
        owner_type,
        account_type,
        is_platform_account
    from {{ ref('stg_app_mysql__accounts') }}

),

users as (

    select
        app_user_id,
        user_id
    from {{ ref('stg_app_mysql__users') }}

),

investments as (

    select
        investment_id,
        product_id
    from {{ ref('stg_app_mysql__investments') }}

),

fx_rates as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}

),

joined as (

    select
        ledger_entries.ledger_entry_id,
        ledger_entries.transaction_id,
        ledger_entries.account_id,
        accounts.app_user_id,
        users.user_id,
        transactions.investment_id,
        investments.product_id,
        transactions.external_id,
        transactions.transaction_type,
        transactions.transaction_status,
        transactions.external_provider,
        accounts.owner_type,
        accounts.account_type,
        coalesce(accounts.is_platform_account, false) as is_platform_account,
        coalesce(transactions.is_retry, false) as is_retry,
        coalesce(transactions.is_reversal, false) as is_reversal,
        coalesce(transactions.is_reversed, false) as is_reversed,
        ledger_entries.entry_direction,
        ledger_entries.currency_code,
        ledger_entries.amount_minor,
        ledger_entries.amount,
        case
            when ledger_entries.entry_direction = 'credit'
                then ledger_entries.amount_minor
            else -ledger_entries.amount_minor
        end as balance_effect_minor,
        case
            when ledger_entries.entry_direction = 'credit'
                then ledger_entries.amount
            else -ledger_entries.amount
        end as balance_effect,
        fx_rates.units_per_reporting_unit,
        ledger_entries.posted_at,
        cast(ledger_entries.posted_at as date) as posted_date,
        coalesce(
            not {{ not_erased('accounts.app_user_id', 'app_user_id') }},
            false
        ) as is_erased_subject,
        ledger_entries._loaded_at
    from ledger_entries
    left outer join transactions
        on ledger_entries.transaction_id = transactions.transaction_id
    left outer join accounts
        on ledger_entries.account_id = accounts.account_id
    left outer join users
        on accounts.app_user_id = users.app_user_id
    left outer join investments
        on transactions.investment_id = investments.investment_id
    left outer join fx_rates
        on
            ledger_entries.currency_code = fx_rates.currency_code
            and cast(ledger_entries.posted_at as date) = fx_rates.rate_date

),

transaction_flagged as (

    select
        *,
        max(case when is_erased_subject then 1 else 0 end) over (
            partition by transaction_id
        ) = 1 as is_erased_transaction
    from joined

),

pseudonymised as (

    select
        ledger_entry_id,
        transaction_id,
        case when not is_erased_subject then account_id end as account_id,
        case when not is_erased_subject then user_id end as user_id,
        case when not is_erased_transaction then investment_id end
            as investment_id,
        product_id,
        case when not is_erased_transaction then external_id end
            as external_id,
        transaction_type,
        transaction_status,
        external_provider,
        owner_type,
        account_type,
        is_platform_account,
        is_retry,
        is_reversal,
        is_reversed,
        entry_direction,
        currency_code,
        amount_minor,
        amount,
        balance_effect_minor,
        balance_effect,
        {{ to_reporting_currency('amount', 'units_per_reporting_unit') }}
            as amount_gbp,
        {{ to_reporting_currency(
            'balance_effect', 'units_per_reporting_unit'
        ) }} as balance_effect_gbp,
        units_per_reporting_unit as fx_units_per_gbp,
        posted_at,
        posted_date,
        is_erased_subject,
        _loaded_at
    from transaction_flagged

)

select * from pseudonymised
