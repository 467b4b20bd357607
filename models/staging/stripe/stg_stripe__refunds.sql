{#- One row per Stripe refund, in the charge's (presentment) currency, by
    Stripe's exponent from iso_currencies. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'refund'),
            get_stripe_columns('refund')
        ) }}
    from {{ source('stripe', 'refund') }}

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
        cast(source.id as {{ dbt.type_string() }}) as refund_id,
        source.charge_id,
        source.payment_intent_id,
        source.balance_transaction_id,
        source.failure_balance_transaction_id,

        -- strings
        lower(source.status) as refund_status,
        lower(source.reason) as refund_reason,

        -- money: presentment currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.amount as amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount,

        -- booleans
        source.livemode as is_livemode,

        -- timestamps (UTC)
        source.created as created_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.amount < 0 then 'negative amount'
            when source.created is null then 'missing created timestamp'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
