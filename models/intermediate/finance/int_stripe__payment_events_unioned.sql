{#- One row per Stripe money event: a charge attempt (succeeded or failed),
    a refund, a dispute (the withdrawal Stripe makes when it opens) and a
    dispute reversal (the reinstatement of a won dispute, a second balance
    transaction of the dispute: Stripe has no object for it, so its id is
    the balance transaction's). Amounts are in the presentment currency
    (Stripe's exponent, from staging); fee and net come from the event's
    balance transaction in the settlement currency, NULL when there is
    none (failed charges). signed_amount is the money that moved: charges
    in (+), refunds and disputes out (-), reversals in; 0 for attempts that
    moved nothing (failed or pending charges, failed or canceled refunds,
    inquiries without a balance transaction). GBP values use the event
    day's rate (UTC) of each amount's own currency.
    Left out: quarantined staging rows (int_quarantined_rows_unioned) and
    every event of an erased person: int_stripe__charges_attributed holds
    only charges of people who are not erased, and a refund, dispute or
    reversal goes with its charge (an inner join: Stripe never refunds or
    disputes a charge it does not have). Test-mode objects (is_livemode
    false) are kept and flagged. -#}
with

charges as (

    select * from {{ ref('int_stripe__charges_attributed') }}

),

refunds as (

    select
        refund_id,
        charge_id,
        payment_intent_id,
        balance_transaction_id,
        refund_status,
        refund_reason,
        currency_code,
        amount_minor,
        amount,
        is_livemode,
        created_at
    from {{ ref('stg_stripe__refunds') }}
    where quarantine_reason is null

),

disputes as (

    select
        dispute_id,
        charge_id,
        balance_transaction_id,
        dispute_status,
        dispute_reason,
        currency_code,
        amount_minor,
        amount,
        is_livemode,
        created_at
    from {{ ref('stg_stripe__disputes') }}
    where quarantine_reason is null

),

balance_transactions as (

    select
        balance_transaction_id,
        source_object_id,
        source_object_type,
        balance_transaction_status,
        currency_code,
        amount_minor,
        amount,
        fee_amount_minor,
        fee_amount,
        net_amount_minor,
        net_amount,
        exchange_rate,
        is_livemode,
        created_at
    from {{ ref('stg_stripe__balance_transactions') }}
    where quarantine_reason is null

),

cards as (

    select
        payment_method_id,
        card_brand,
        card_country_code
    from {{ ref('stg_stripe__payment_method_cards') }}

),

fx_rates as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}

),

charge_events as (

    select
        charge_id as payment_event_id,
        'charge' as payment_event_type,
        charge_id,
        payment_intent_id,
        cast(null as {{ dbt.type_string() }}) as dispute_id,
        balance_transaction_id,
        payment_method_id,
        user_id,
        charge_status as status,
        failure_code,
        cast(null as {{ dbt.type_string() }}) as event_reason,
        currency_code,
        amount_minor,
        amount,
        case when charge_status = 'succeeded' then 1 else 0 end
            as money_direction,
        amount_refunded_minor,
        is_livemode,
        created_at
    from charges
    where quarantine_reason is null

),

refund_events as (

    select
        refunds.refund_id as payment_event_id,
        'refund' as payment_event_type,
        refunds.charge_id,
        coalesce(refunds.payment_intent_id, charges.payment_intent_id)
            as payment_intent_id,
        cast(null as {{ dbt.type_string() }}) as dispute_id,
        refunds.balance_transaction_id,
        charges.payment_method_id,
        charges.user_id,
        refunds.refund_status as status,
        cast(null as {{ dbt.type_string() }}) as failure_code,
        refunds.refund_reason as event_reason,
        refunds.currency_code,
        refunds.amount_minor,
        refunds.amount,
        case
            when refunds.refund_status in ('failed', 'canceled') then 0
            else -1
        end as money_direction,
        cast(null as {{ dbt.type_bigint() }}) as amount_refunded_minor,
        refunds.is_livemode,
        refunds.created_at
    from refunds
    inner join charges
        on refunds.charge_id = charges.charge_id

),

dispute_events as (

    select
        disputes.dispute_id as payment_event_id,
        'dispute' as payment_event_type,
        disputes.charge_id,
        charges.payment_intent_id,
        disputes.dispute_id,
        disputes.balance_transaction_id,
        charges.payment_method_id,
        charges.user_id,
        disputes.dispute_status as status,
        cast(null as {{ dbt.type_string() }}) as failure_code,
        disputes.dispute_reason as event_reason,
        disputes.currency_code,
        disputes.amount_minor,
        disputes.amount,
        case
            when disputes.balance_transaction_id is null then 0 else -1
        end as money_direction,
        cast(null as {{ dbt.type_bigint() }}) as amount_refunded_minor,
        disputes.is_livemode,
        disputes.created_at
    from disputes
    inner join charges
        on disputes.charge_id = charges.charge_id

),

{# a dispute's other balance transactions that return money: the
    reinstatement of a won dispute #}
dispute_reversal_events as (

    select
        balance_transactions.balance_transaction_id as payment_event_id,
        'dispute_reversal' as payment_event_type,
        dispute_events.charge_id,
        dispute_events.payment_intent_id,
        dispute_events.dispute_id,
        balance_transactions.balance_transaction_id,
        dispute_events.payment_method_id,
        dispute_events.user_id,
        dispute_events.status,
        cast(null as {{ dbt.type_string() }}) as failure_code,
        dispute_events.event_reason,
        dispute_events.currency_code,
        dispute_events.amount_minor,
        dispute_events.amount,
        1 as money_direction,
        cast(null as {{ dbt.type_bigint() }}) as amount_refunded_minor,
        balance_transactions.is_livemode,
        balance_transactions.created_at
    from balance_transactions
    inner join dispute_events
        on balance_transactions.source_object_id = dispute_events.dispute_id
    where
        balance_transactions.source_object_type = 'dispute'
        and balance_transactions.amount_minor > 0
        and balance_transactions.balance_transaction_id
        != coalesce(dispute_events.balance_transaction_id, '')

),

unioned as (

    select * from charge_events
    union all
    select * from refund_events
    union all
    select * from dispute_events
    union all
    select * from dispute_reversal_events

),

enriched as (

    select
        unioned.payment_event_id,
        unioned.payment_event_type,
        unioned.charge_id,
        unioned.payment_intent_id,
        unioned.dispute_id,
        unioned.balance_transaction_id,
        unioned.user_id,
        unioned.status,
        unioned.failure_code,
        unioned.event_reason,
        cards.card_brand,
        cards.card_country_code,
        unioned.currency_code,
        unioned.amount_minor,
        unioned.amount,
        unioned.money_direction * unioned.amount_minor
            as signed_amount_minor,
        unioned.money_direction * unioned.amount as signed_amount,
        unioned.amount_refunded_minor,
        balance_transactions.currency_code as settlement_currency_code,
        {# the dispute reversal's settlement amount is its own, positive #}
        balance_transactions.amount_minor as settlement_amount_minor,
        balance_transactions.amount as settlement_amount,
        balance_transactions.fee_amount_minor,
        balance_transactions.fee_amount,
        balance_transactions.net_amount_minor,
        balance_transactions.net_amount,
        balance_transactions.exchange_rate,
        presentment_rates.units_per_reporting_unit as fx_units_per_gbp,
        {{ to_reporting_currency(
            'unioned.amount', 'presentment_rates.units_per_reporting_unit'
        ) }} as amount_gbp,
        {{ to_reporting_currency(
            'unioned.money_direction * unioned.amount',
            'presentment_rates.units_per_reporting_unit'
        ) }} as signed_amount_gbp,
        {{ to_reporting_currency(
            'balance_transactions.fee_amount',
            'settlement_rates.units_per_reporting_unit'
        ) }} as fee_gbp,
        {{ to_reporting_currency(
            'balance_transactions.net_amount',
            'settlement_rates.units_per_reporting_unit'
        ) }} as net_gbp,
        unioned.is_livemode,
        cast(unioned.created_at as date) as created_date,
        unioned.created_at
    from unioned
    left outer join balance_transactions
        on
            unioned.balance_transaction_id
            = balance_transactions.balance_transaction_id
    left outer join cards
        on unioned.payment_method_id = cards.payment_method_id
    left outer join fx_rates as presentment_rates
        on
            unioned.currency_code = presentment_rates.currency_code
            and cast(unioned.created_at as date) = presentment_rates.rate_date
    left outer join fx_rates as settlement_rates
        on
            balance_transactions.currency_code = settlement_rates.currency_code
            and cast(unioned.created_at as date) = settlement_rates.rate_date

)

select * from enriched
