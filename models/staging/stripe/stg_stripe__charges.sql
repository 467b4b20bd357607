{#- One row per Stripe charge attempt (succeeded or failed). Amounts are in
    the presentment currency, by Stripe's exponent from iso_currencies. -#}
{%- set receipt_email = normalize_email('source.receipt_email') -%}
{%- set billing_email = normalize_email('source.billing_detail_email') -%}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'charge'),
            get_stripe_columns('charge')
        ) }}
    from {{ source('stripe', 'charge') }}

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
        cast(source.id as {{ dbt.type_string() }}) as charge_id,
        source.payment_intent_id,
        source.customer_id,
        source.payment_method_id,
        source.balance_transaction_id,
        source.invoice_id,
        nullif(
            {{ json_extract_string('source.metadata', '$.user_public_id') }},
            ''
        ) as user_id,
        nullif(
            {{ json_extract_string('source.metadata', '$.transaction_id') }},
            ''
        ) as app_transaction_id,

        -- strings
        lower(source.status) as charge_status,
        source.failure_code,
        source.failure_message,
        source.outcome_type,
        source.outcome_risk_level,
        source.statement_descriptor,
        upper(source.billing_detail_address_country) as billing_country_code,
        {{ hash_key(receipt_email) }} as receipt_email_hash,
        {{ hash_key(billing_email) }} as billing_email_hash,

        -- money: presentment currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.amount as amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount,
        source.amount_refunded as amount_refunded_minor,
        cast(
            {{ minor_to_major(
                'source.amount_refunded', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount_refunded,

        -- numerics
        source.outcome_risk_score,

        -- booleans
        source.captured as is_captured,
        source.paid as is_paid,
        source.refunded as is_refunded,
        source.livemode as is_livemode,

        -- timestamps (UTC)
        source.created as created_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.amount < 0 then 'negative amount'
            when source.amount_refunded < 0 then 'negative amount refunded'
            when source.amount_refunded > source.amount
                then 'amount refunded above amount'
            when source.created is null then 'missing created timestamp'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
