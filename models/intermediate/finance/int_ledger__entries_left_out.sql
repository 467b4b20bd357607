{#- One row per raw ledger line that int_ledger__entries_enriched leaves
    out, with the reason: the staging quarantine reason (unknown currency,
    non-positive amount, ...), or 'source deleted' for a line hard-deleted
    in MySQL (_fivetran_deleted), which wins when both apply. With
    fct_transactions it accounts for every raw line
    (assert_ledger_reconciles_raw_to_fct_transactions), and fct_daily_aum
    reads its _loaded_at to recompute the accounts a deletion touched. An
    erased person's line keeps its amount but not its account id. -#}
with

ledger_entries as (

    select
        ledger_entry_id,
        transaction_id,
        account_id,
        entry_direction,
        currency_code,
        amount_minor,
        quarantine_reason,
        _is_source_deleted,
        posted_at,
        _loaded_at
    from {{ ref('stg_app_mysql__ledger_entries') }}
    where quarantine_reason is not null or _is_source_deleted

),

accounts as (

    select
        account_id,
        app_user_id
    from {{ ref('stg_app_mysql__accounts') }}

),

flagged as (

    select
        ledger_entries.ledger_entry_id,
        ledger_entries.transaction_id,
        ledger_entries.account_id,
        case
            when ledger_entries._is_source_deleted then 'source deleted'
            else ledger_entries.quarantine_reason
        end as left_out_reason,
        ledger_entries.entry_direction,
        ledger_entries.currency_code,
        ledger_entries.amount_minor,
        ledger_entries.quarantine_reason is not null as is_quarantined,
        ledger_entries._is_source_deleted as is_source_deleted,
        coalesce(
            not {{ not_erased('accounts.app_user_id', 'app_user_id') }},
            false
        ) as is_erased_subject,
        ledger_entries.posted_at,
        ledger_entries._loaded_at
    from ledger_entries
    left outer join accounts
        on ledger_entries.account_id = accounts.account_id

),

pseudonymised as (

    select
        ledger_entry_id,
        transaction_id,
        case when not is_erased_subject then account_id end as account_id,
        left_out_reason,
        entry_direction,
        currency_code,
        amount_minor,
        is_quarantined,
        is_source_deleted,
        is_erased_subject,
        cast(posted_at as date) as posted_date,
        posted_at,
        _loaded_at
    from flagged

)

select * from pseudonymised
