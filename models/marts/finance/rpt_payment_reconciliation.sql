{#- One row per card deposit in the ledger and per live succeeded Stripe
    charge without one, matched through the payment intent: the ledger's
    amount, currency and status beside the charge's (presentment) and its
    balance transaction's (settlement), and whether they reconcile, with
    one reason when they do not (int_stripe__card_deposits_reconciled
    holds the rules). Erased people's rows are left out;
    int_stripe__erased_card_deposits_counted counts them. -#}
with

reconciled as (

    select * from {{ ref('int_stripe__card_deposits_reconciled') }}

),

final as (

    select
        cast(reconciliation_id as {{ dbt.type_string() }})
            as reconciliation_id,
        cast(transaction_id as {{ dbt.type_string() }}) as transaction_id,
        cast(charge_id as {{ dbt.type_string() }}) as charge_id,
        cast(payment_intent_id as {{ dbt.type_string() }})
            as payment_intent_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast({{ hash_key('user_id') }} as {{ dbt.type_string() }})
            as user_key,
        cast(ledger_transaction_status as {{ dbt.type_string() }})
            as ledger_transaction_status,
        cast(charge_status as {{ dbt.type_string() }}) as charge_status,
        cast(charge_failure_code as {{ dbt.type_string() }})
            as charge_failure_code,
        cast(reconciliation_status as {{ dbt.type_string() }})
            as reconciliation_status,
        cast(mismatch_reason as {{ dbt.type_string() }}) as mismatch_reason,
        cast(ledger_currency_code as {{ dbt.type_string() }})
            as ledger_currency_code,
        cast(charge_currency_code as {{ dbt.type_string() }})
            as charge_currency_code,
        cast(settlement_currency_code as {{ dbt.type_string() }})
            as settlement_currency_code,
        cast(charge_attempt_count as {{ dbt.type_bigint() }})
            as charge_attempt_count,
        cast(ledger_amount_minor as {{ dbt.type_bigint() }})
            as ledger_amount_minor,
        cast(ledger_amount as {{ type_money() }}) as ledger_amount,
        cast(charge_amount_minor as {{ dbt.type_bigint() }})
            as charge_amount_minor,
        cast(charge_amount as {{ type_money() }}) as charge_amount,
        cast(settlement_amount_minor as {{ dbt.type_bigint() }})
            as settlement_amount_minor,
        cast(settlement_amount as {{ type_money() }}) as settlement_amount,
        cast(amount_difference_minor as {{ dbt.type_bigint() }})
            as amount_difference_minor,
        cast(stripe_refunded_amount_minor as {{ dbt.type_bigint() }})
            as stripe_refunded_amount_minor,
        cast(unrecorded_refund_amount_minor as {{ dbt.type_bigint() }})
            as unrecorded_refund_amount_minor,
        cast(ledger_refund_amount_minor as {{ dbt.type_bigint() }})
            as ledger_refund_amount_minor,
        cast(lost_dispute_count as {{ dbt.type_bigint() }})
            as lost_dispute_count,
        cast(has_ledger_deposit as {{ dbt.type_boolean() }})
            as has_ledger_deposit,
        cast(has_stripe_charge as {{ dbt.type_boolean() }})
            as has_stripe_charge,
        cast(is_ledger_reversed as {{ dbt.type_boolean() }})
            as is_ledger_reversed,
        cast(ledger_requested_at as {{ dbt.type_timestamp() }})
            as ledger_requested_at,
        cast(ledger_completed_at as {{ dbt.type_timestamp() }})
            as ledger_completed_at,
        cast(charge_created_at as {{ dbt.type_timestamp() }})
            as charge_created_at
    from reconciled

)

select * from final
