{#- Double entry: per transaction and currency, the debits of
    stg_app_mysql__ledger_entries equal its credits. Returns the
    unbalanced transaction x currency pairs. -#}
with

ledger_entries as (

    select
        transaction_id,
        currency_code,
        debit_amount_minor,
        credit_amount_minor
    from {{ ref('stg_app_mysql__ledger_entries') }}

),

balances as (

    select
        transaction_id,
        currency_code,
        sum(debit_amount_minor) as debit_amount_minor,
        sum(credit_amount_minor) as credit_amount_minor
    from ledger_entries
    group by 1, 2

),

unbalanced as (

    select *
    from balances
    where debit_amount_minor != credit_amount_minor

)

select * from unbalanced
