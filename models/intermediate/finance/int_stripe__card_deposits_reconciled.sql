{#- One row per card deposit in the app's ledger (transaction header: type
    deposit, provider stripe, not an idempotency retry, not quarantined or
    source-deleted) and per live succeeded Stripe charge whose payment
    intent has no such deposit, matched through the payment intent id
    (transactions.external_id). The intent's representative charge is its
    succeeded one, else its last attempt. The ledger books the settlement
    amount (a JPY card settles in GBP), so amount and currency compare the
    ledger with the charge's balance transaction, or with the charge when
    it has none. One mismatch_reason per row, the first that applies in
    the order of the case below. A failed (or pending) deposit whose
    attempts all failed, or that never reached Stripe, is matched:
    nothing moved on either side. Refunds: the charge's refunded amount
    (the larger of amount_refunded and its refund rows) less the Stripe
    refunds the ledger recorded (refund transactions whose external_id is
    the re_ id). Test-mode charges never reach the ledger and are left
    out. Erased people are left out on both sides: the Stripe side already
    in int_stripe__payment_events_unioned, the ledger side by app user and
    by the payment intent of a charge those events left out for erasure;
    int_stripe__erased_card_deposits_counted counts them. -#}
with

transactions as (

    select
        transaction_id,
        app_user_id,
        external_id,
        transaction_type,
        transaction_status,
        external_provider,
        currency_code,
        amount_minor,
        amount,
        is_retry,
        is_reversed,
        requested_at,
        completed_at
    from {{ ref('stg_app_mysql__transactions') }}
    where
        quarantine_reason is null
        and not _is_source_deleted
        and external_provider = 'stripe'
        and {{ not_erased('app_user_id', 'app_user_id') }}

),

app_users as (

    select
        app_user_id,
        user_id
    from {{ ref('stg_app_mysql__users') }}

),

payment_events as (

    select
        payment_event_id,
        payment_event_type,
        charge_id,
        payment_intent_id,
        user_id,
        status,
        failure_code,
        currency_code,
        amount_minor,
        amount,
        amount_refunded_minor,
        settlement_currency_code,
        settlement_amount_minor,
        settlement_amount,
        created_at
    from {{ ref('int_stripe__payment_events_unioned') }}
    where is_livemode

),

staged_charges as (

    select
        charge_id,
        payment_intent_id
    from {{ ref('stg_stripe__charges') }}
    where quarantine_reason is null

),

charge_event_ids as (

    select payment_event_id as charge_id
    from {{ ref('int_stripe__payment_events_unioned') }}
    where payment_event_type = 'charge'

),

{# interpretable charges the events left out: an erased person's, whose
    deposits leave too (even when the app user is not marked erased) #}
erased_charge_intents as (

    select distinct staged_charges.payment_intent_id
    from staged_charges
    left outer join charge_event_ids
        on staged_charges.charge_id = charge_event_ids.charge_id
    where charge_event_ids.charge_id is null

),

ledger_deposits as (

    select
        transactions.transaction_id,
        transactions.external_id as payment_intent_id,
        app_users.user_id,
        transactions.transaction_status,
        transactions.currency_code,
        transactions.amount_minor,
        transactions.amount,
        transactions.is_reversed,
        transactions.requested_at,
        transactions.completed_at
    from transactions
    left outer join app_users
        on transactions.app_user_id = app_users.app_user_id
    left outer join erased_charge_intents
        on transactions.external_id = erased_charge_intents.payment_intent_id
    where
        transactions.transaction_type = 'deposit'
        and not transactions.is_retry
        and erased_charge_intents.payment_intent_id is null

),

ledger_refunds as (

    select
        external_id as refund_id,
        amount_minor
    from transactions
    where
        transaction_type = 'refund'
        and transaction_status = 'completed'
        and external_id is not null

),

charge_attempts as (

    select
        payment_intent_id,
        charge_id,
        user_id,
        status,
        failure_code,
        currency_code,
        amount_minor,
        amount,
        amount_refunded_minor,
        coalesce(settlement_currency_code, currency_code)
            as settlement_currency_code,
        coalesce(settlement_amount_minor, amount_minor)
            as settlement_amount_minor,
        coalesce(settlement_amount, amount) as settlement_amount,
        created_at,
        count(*) over (partition by payment_intent_id) as charge_attempt_count
    from payment_events
    where payment_event_type = 'charge' and payment_intent_id is not null

),

{# the succeeded attempt, else the last one #}
intent_charges as (

    select *
    from charge_attempts
    where true
    qualify row_number() over (
            partition by payment_intent_id
            order by
                case when status = 'succeeded' then 0 else 1 end,
                created_at desc,
                charge_id desc
        ) = 1

),

refunds_per_charge as (

    select
        payment_events.charge_id,
        sum(payment_events.amount_minor) as refunded_amount_minor,
        sum(
            case
                when ledger_refunds.refund_id is not null
                    then payment_events.amount_minor
                else 0
            end
        ) as ledger_recorded_refund_amount_minor,
        sum(coalesce(ledger_refunds.amount_minor, 0))
            as ledger_refund_amount_minor
    from payment_events
    left outer join ledger_refunds
        on payment_events.payment_event_id = ledger_refunds.refund_id
    where
        payment_events.payment_event_type = 'refund'
        and payment_events.status not in ('failed', 'canceled')
    group by 1

),

disputes_per_charge as (

    select
        charge_id,
        count(*) as lost_dispute_count
    from payment_events
    where payment_event_type = 'dispute' and status = 'lost'
    group by 1

),

stripe_intents as (

    select
        intent_charges.*,
        greatest(
            coalesce(intent_charges.amount_refunded_minor, 0),
            coalesce(refunds_per_charge.refunded_amount_minor, 0)
        ) as stripe_refunded_amount_minor,
        coalesce(refunds_per_charge.ledger_recorded_refund_amount_minor, 0)
            as ledger_recorded_refund_amount_minor,
        coalesce(refunds_per_charge.ledger_refund_amount_minor, 0)
            as ledger_refund_amount_minor,
        coalesce(disputes_per_charge.lost_dispute_count, 0)
            as lost_dispute_count
    from intent_charges
    left outer join refunds_per_charge
        on intent_charges.charge_id = refunds_per_charge.charge_id
    left outer join disputes_per_charge
        on intent_charges.charge_id = disputes_per_charge.charge_id

),

{# every ledger deposit, and every succeeded charge without one #}
matched as (

    select
        ledger_deposits.transaction_id,
        stripe_intents.charge_id,
        coalesce(
            ledger_deposits.payment_intent_id, stripe_intents.payment_intent_id
        ) as payment_intent_id,
        coalesce(ledger_deposits.user_id, stripe_intents.user_id) as user_id,
        ledger_deposits.transaction_status as ledger_transaction_status,
        stripe_intents.status as charge_status,
        stripe_intents.failure_code as charge_failure_code,
        coalesce(stripe_intents.charge_attempt_count, 0)
            as charge_attempt_count,
        ledger_deposits.currency_code as ledger_currency_code,
        ledger_deposits.amount_minor as ledger_amount_minor,
        ledger_deposits.amount as ledger_amount,
        stripe_intents.currency_code as charge_currency_code,
        stripe_intents.amount_minor as charge_amount_minor,
        stripe_intents.amount as charge_amount,
        stripe_intents.settlement_currency_code,
        stripe_intents.settlement_amount_minor,
        stripe_intents.settlement_amount,
        coalesce(stripe_intents.stripe_refunded_amount_minor, 0)
            as stripe_refunded_amount_minor,
        coalesce(stripe_intents.stripe_refunded_amount_minor, 0)
        - coalesce(stripe_intents.ledger_recorded_refund_amount_minor, 0)
            as unrecorded_refund_amount_minor,
        coalesce(stripe_intents.ledger_refund_amount_minor, 0)
            as ledger_refund_amount_minor,
        coalesce(stripe_intents.lost_dispute_count, 0) as lost_dispute_count,
        ledger_deposits.transaction_id is not null as has_ledger_deposit,
        stripe_intents.charge_id is not null as has_stripe_charge,
        coalesce(ledger_deposits.is_reversed, false) as is_ledger_reversed,
        ledger_deposits.requested_at as ledger_requested_at,
        ledger_deposits.completed_at as ledger_completed_at,
        stripe_intents.created_at as charge_created_at
    from ledger_deposits
    full outer join stripe_intents
        on ledger_deposits.payment_intent_id = stripe_intents.payment_intent_id
    where
        ledger_deposits.transaction_id is not null
        or stripe_intents.status = 'succeeded'

),

classified as (

    select
        *,
        case
            when not has_ledger_deposit then 'missing_in_ledger'
            when
                not has_stripe_charge
                and ledger_transaction_status != 'failed'
                then 'missing_in_stripe'
            when not has_stripe_charge then null
            when
                charge_status != 'succeeded'
                and ledger_transaction_status in ('completed', 'reversed')
                then 'charge_failed_but_ledger_completed'
            when charge_status != 'succeeded' then null
            when
                ledger_transaction_status not in ('completed', 'reversed')
                then 'charge_succeeded_but_ledger_not_completed'
            when ledger_currency_code != settlement_currency_code
                then 'currency_differs'
            when ledger_amount_minor != settlement_amount_minor
                then 'amount_differs'
            when
                is_ledger_reversed
                and stripe_refunded_amount_minor = 0
                and lost_dispute_count = 0
                then 'reversed_in_ledger_only'
            when
                not is_ledger_reversed
                and unrecorded_refund_amount_minor > 0
                then 'refunded_after_deposit'
            when
                not is_ledger_reversed
                and lost_dispute_count > 0
                then 'dispute_lost_after_deposit'
        end as mismatch_reason
    from matched

),

final as (

    select
        coalesce(transaction_id, charge_id) as reconciliation_id,
        transaction_id,
        charge_id,
        payment_intent_id,
        user_id,
        ledger_transaction_status,
        charge_status,
        charge_failure_code,
        case when mismatch_reason is null then 'matched' else 'mismatch' end
            as reconciliation_status,
        mismatch_reason,
        ledger_currency_code,
        charge_currency_code,
        settlement_currency_code,
        charge_attempt_count,
        ledger_amount_minor,
        ledger_amount,
        charge_amount_minor,
        charge_amount,
        settlement_amount_minor,
        settlement_amount,
        case
            when ledger_currency_code = settlement_currency_code
                then ledger_amount_minor - settlement_amount_minor
        end as amount_difference_minor,
        stripe_refunded_amount_minor,
        unrecorded_refund_amount_minor,
        ledger_refund_amount_minor,
        lost_dispute_count,
        has_ledger_deposit,
        has_stripe_charge,
        is_ledger_reversed,
        ledger_requested_at,
        ledger_completed_at,
        charge_created_at
    from classified

)

select * from final
