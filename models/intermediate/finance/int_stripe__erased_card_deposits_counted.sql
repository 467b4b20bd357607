{#- One row per side of the card-deposit reconciliation (ledger_deposit,
    stripe_charge) and currency that lost rows to erasure: how many card
    deposits and live succeeded charges of erased people
    int_stripe__card_deposits_reconciled leaves out, and their amount in
    minor units. Counts only, nothing that identifies anyone. An erased
    charge is an interpretable charge that int_stripe__payment_events_
    unioned left out (it leaves out only quarantined and erased rows); the
    Stripe side counts the live succeeded ones, the ledger side every card
    deposit of an erased app user or paid through an erased charge. -#}
with

transactions as (

    select
        app_user_id,
        external_id,
        currency_code,
        amount_minor
    from {{ ref('stg_app_mysql__transactions') }}
    where
        quarantine_reason is null
        and not _is_source_deleted
        and transaction_type = 'deposit'
        and external_provider = 'stripe'
        and not is_retry

),

charges as (

    select
        charge_id,
        payment_intent_id,
        charge_status,
        currency_code,
        amount_minor,
        is_livemode
    from {{ ref('stg_stripe__charges') }}
    where quarantine_reason is null

),

payment_events as (

    select payment_event_id
    from {{ ref('int_stripe__payment_events_unioned') }}
    where payment_event_type = 'charge'

),

erased_charges as (

    select charges.*
    from charges
    left outer join payment_events
        on charges.charge_id = payment_events.payment_event_id
    where payment_events.payment_event_id is null

),

erased_charge_intents as (

    select distinct payment_intent_id
    from erased_charges

),

erased_deposits as (

    select
        transactions.currency_code,
        transactions.amount_minor
    from transactions
    left outer join erased_charge_intents
        on transactions.external_id = erased_charge_intents.payment_intent_id
    where
        not {{ not_erased('transactions.app_user_id', 'app_user_id') }}
        or erased_charge_intents.payment_intent_id is not null

),

counted as (

    select
        'ledger_deposit' as reconciliation_side,
        currency_code,
        count(*) as erased_row_count,
        sum(amount_minor) as erased_amount_minor
    from erased_deposits
    group by 1, 2
    union all
    select
        'stripe_charge' as reconciliation_side,
        currency_code,
        count(*) as erased_row_count,
        sum(amount_minor) as erased_amount_minor
    from erased_charges
    where is_livemode and charge_status = 'succeeded'
    group by 1, 2

)

select * from counted
