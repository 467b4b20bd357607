{#- One row per Stripe payment intent: one per app card deposit plus
    test-mode intents. Amounts by Stripe's exponent from iso_currencies. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'payment_intent'),
            get_stripe_columns('payment_intent')
        ) }}
    from {{ source('stripe', 'payment_intent') }}

),

currencies as (

    select
        currency_code,
        stripe_exponent
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as payment_intent_id,
        source.customer_id,
        source.payment_method_id,
        nullif(
            {{ json_extract_string('source.metadata', '$.user_public_id') }},
            ''
        ) as user_id,
        nullif(
            {{ json_extract_string('source.metadata', '$.transaction_id') }},
            ''
        ) as app_transaction_id,

        -- strings
        lower(source.status) as payment_intent_status,
        source.capture_method,
        source.cancellation_reason,
        source.last_payment_error_code,
        source.last_payment_error_decline_code,

        -- money: presentment currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.amount as amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount,
        source.amount_received as amount_received_minor,
        cast(
            {{ minor_to_major(
                'source.amount_received', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount_received,

        -- booleans
        source.livemode as is_livemode,

        -- timestamps (UTC)
        source.created as created_at,
        source.canceled_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.amount < 0 then 'negative amount'
            when source.amount_received < 0 then 'negative amount received'
            when source.created is null then 'missing created timestamp'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
