{#- One row per Stripe money event (charge attempt, refund, dispute,
    dispute reversal) of a person who is not erased, quarantined rows left
    out (int_stripe__payment_events_unioned says how): the original amount
    and currency, the signed money that moved, Stripe's fee and net from
    the balance transaction in the settlement currency, and each of them in
    GBP at the event day's rate. Test-mode events are kept, flagged by
    is_livemode. -#}
with

payment_events as (

    select * from {{ ref('int_stripe__payment_events_unioned') }}

),

final as (

    select
        cast(payment_event_id as {{ dbt.type_string() }}) as payment_event_id,
        cast(payment_event_type as {{ dbt.type_string() }})
            as payment_event_type,
        cast(charge_id as {{ dbt.type_string() }}) as charge_id,
        cast(payment_intent_id as {{ dbt.type_string() }})
            as payment_intent_id,
        cast(dispute_id as {{ dbt.type_string() }}) as dispute_id,
        cast(balance_transaction_id as {{ dbt.type_string() }})
            as balance_transaction_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast({{ hash_key('user_id') }} as {{ dbt.type_string() }})
            as user_key,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(failure_code as {{ dbt.type_string() }}) as failure_code,
        cast(event_reason as {{ dbt.type_string() }}) as event_reason,
        cast(card_brand as {{ dbt.type_string() }}) as card_brand,
        cast(card_country_code as {{ dbt.type_string() }})
            as card_country_code,
        cast(currency_code as {{ dbt.type_string() }}) as currency_code,
        cast(settlement_currency_code as {{ dbt.type_string() }})
            as settlement_currency_code,
        cast(amount_minor as {{ dbt.type_bigint() }}) as amount_minor,
        cast(amount as {{ type_money() }}) as amount,
        cast(signed_amount_minor as {{ dbt.type_bigint() }})
            as signed_amount_minor,
        cast(signed_amount as {{ type_money() }}) as signed_amount,
        cast(settlement_amount_minor as {{ dbt.type_bigint() }})
            as settlement_amount_minor,
        cast(settlement_amount as {{ type_money() }}) as settlement_amount,
        cast(fee_amount_minor as {{ dbt.type_bigint() }}) as fee_amount_minor,
        cast(fee_amount as {{ type_money() }}) as fee_amount,
        cast(net_amount_minor as {{ dbt.type_bigint() }}) as net_amount_minor,
        cast(net_amount as {{ type_money() }}) as net_amount,
        cast(exchange_rate as {{ type_double() }}) as exchange_rate,
        cast(fx_units_per_gbp as {{ type_double() }}) as fx_units_per_gbp,
        cast(amount_gbp as {{ type_money() }}) as amount_gbp,
        cast(signed_amount_gbp as {{ type_money() }}) as signed_amount_gbp,
        cast(fee_gbp as {{ type_money() }}) as fee_gbp,
        cast(net_gbp as {{ type_money() }}) as net_gbp,
        cast(is_livemode as {{ dbt.type_boolean() }}) as is_livemode,
        cast(created_date as date) as created_date,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at
    from payment_events

)

select * from final
