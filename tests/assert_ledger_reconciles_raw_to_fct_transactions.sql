{#- Money in raw equals money in the marts (DESIGN §9): per currency, the
    line count and the sum of amount_minor of the raw ledger equal those of
    fct_transactions plus the lines left out with a reason
    (int_ledger__entries_left_out). The left-out lines must have a reason,
    and their quarantined ones must be exactly the ledger rows that
    int_quarantined_rows_unioned lists. Returns one row per currency or
    line that does not add up (subject: the currency or the line id). -#}
with

raw_ledger_entries as (

    select
        cast(id as {{ dbt.type_string() }}) as ledger_entry_id,
        upper(currency) as currency_code,
        amount_minor
    from {{ source('app_mysql', 'ledger_entries') }}

),

transactions as (

    select
        currency_code,
        amount_minor
    from {{ ref('fct_transactions') }}

),

left_out_entries as (

    select
        ledger_entry_id,
        currency_code,
        amount_minor,
        left_out_reason,
        is_quarantined
    from {{ ref('int_ledger__entries_left_out') }}

),

quarantined_rows as (

    select row_key
    from {{ ref('int_quarantined_rows_unioned') }}
    where model_name = 'stg_app_mysql__ledger_entries'

),

raw_totals as (

    select
        coalesce(currency_code, '(none)') as currency_code,
        count(*) as line_count,
        coalesce(sum(amount_minor), 0) as amount_minor
    from raw_ledger_entries
    group by 1

),

modelled_lines as (

    select
        currency_code,
        amount_minor
    from transactions
    union all
    select
        currency_code,
        amount_minor
    from left_out_entries

),

modelled_totals as (

    select
        coalesce(currency_code, '(none)') as currency_code,
        count(*) as line_count,
        coalesce(sum(amount_minor), 0) as amount_minor
    from modelled_lines
    group by 1

),

currency_mismatches as (

    select
        coalesce(raw_totals.currency_code, modelled_totals.currency_code)
            as subject,
        'raw and modelled totals differ' as problem,
        raw_totals.line_count as raw_line_count,
        modelled_totals.line_count as modelled_line_count,
        raw_totals.amount_minor as raw_amount_minor,
        modelled_totals.amount_minor as modelled_amount_minor
    from raw_totals
    full outer join modelled_totals
        on raw_totals.currency_code = modelled_totals.currency_code
    where
        raw_totals.currency_code is null
        or modelled_totals.currency_code is null
        or raw_totals.line_count != modelled_totals.line_count
        or raw_totals.amount_minor != modelled_totals.amount_minor

),

reason_mismatches as (

    select
        coalesce(
            left_out_entries.ledger_entry_id, quarantined_rows.row_key
        ) as subject,
        case
            when left_out_entries.left_out_reason is null
                then 'left out without a reason'
            else 'quarantine list differs'
        end as problem,
        null as raw_line_count,
        null as modelled_line_count,
        null as raw_amount_minor,
        null as modelled_amount_minor
    from left_out_entries
    full outer join quarantined_rows
        on
            left_out_entries.ledger_entry_id = quarantined_rows.row_key
            and left_out_entries.is_quarantined
    where
        left_out_entries.left_out_reason is null
        or (
            left_out_entries.is_quarantined
            and quarantined_rows.row_key is null
        )
        or (
            quarantined_rows.row_key is not null
            and left_out_entries.ledger_entry_id is null
        )

),

mismatches as (

    select * from currency_mismatches
    union all
    select * from reason_mismatches

)

select * from mismatches
