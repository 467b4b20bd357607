{#- One row per Stripe charge attempt of a person who is not erased, with
    its app user: the charge's metadata user, else its payment intent's.
    Quarantined charges stay here (with quarantine_reason) so that their
    refunds and disputes still find the charge's person; the events model
    leaves them out. Left out: every charge of an erased person, found by
    the charge's metadata user, customer and receipt or billing email, the
    payment intent's user and customer, and the payment intents the app
    recorded for erased users (this catches orphan charges that carry no
    customer and no metadata). -#}
with

charges as (

    select
        charge_id,
        payment_intent_id,
        customer_id,
        payment_method_id,
        balance_transaction_id,
        user_id,
        charge_status,
        failure_code,
        receipt_email_hash,
        billing_email_hash,
        currency_code,
        amount_minor,
        amount,
        amount_refunded_minor,
        is_livemode,
        created_at,
        quarantine_reason
    from {{ ref('stg_stripe__charges') }}

),

payment_intents as (

    select
        payment_intent_id,
        customer_id,
        user_id
    from {{ ref('stg_stripe__payment_intents') }}

),

app_card_deposits as (

    select
        app_user_id,
        external_id
    from {{ ref('stg_app_mysql__transactions') }}
    where external_provider = 'stripe' and external_id is not null

),

erased_payment_intents as (

    select distinct external_id as payment_intent_id
    from app_card_deposits
    where not {{ not_erased('app_user_id', 'app_user_id') }}

),

attributed as (

    select
        charges.charge_id,
        charges.payment_intent_id,
        charges.payment_method_id,
        charges.balance_transaction_id,
        coalesce(charges.user_id, payment_intents.user_id) as user_id,
        charges.charge_status,
        charges.failure_code,
        charges.currency_code,
        charges.amount_minor,
        charges.amount,
        charges.amount_refunded_minor,
        charges.is_livemode,
        charges.created_at,
        charges.quarantine_reason
    from charges
    left outer join payment_intents
        on charges.payment_intent_id = payment_intents.payment_intent_id
    left outer join erased_payment_intents
        on charges.payment_intent_id = erased_payment_intents.payment_intent_id
    where
        {{ not_erased('charges.user_id', 'user_id') }}
        and {{ not_erased('payment_intents.user_id', 'user_id') }}
        and {{ not_erased('charges.customer_id', 'stripe_customer_id') }}
        and {{ not_erased(
            'payment_intents.customer_id', 'stripe_customer_id'
        ) }}
        and {{ not_erased('charges.receipt_email_hash', 'email_hash') }}
        and {{ not_erased('charges.billing_email_hash', 'email_hash') }}
        and erased_payment_intents.payment_intent_id is null

)

select * from attributed
