{#- One row per ledger line: the money movement it belongs to, the account,
    product and user, the original amount and currency and the GBP amount
    at the posting day's rate. Erased people's lines are kept for the
    books, without anything that identifies them. -#}
with

ledger_entries as (

    select * from {{ ref('int_ledger__entries_enriched') }}

),

final as (

    select
        ledger_entry_id,
        transaction_id,
        account_id,
        user_id,
        {{ hash_key('user_id') }} as user_key,
        investment_id,
        product_id,
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
        amount_gbp,
        balance_effect_gbp,
        fx_units_per_gbp,
        posted_at,
        posted_date,
        is_erased_subject
    from ledger_entries

)

select * from final
