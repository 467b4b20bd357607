{#- One row per Stripe payout, in the settlement currency, by Stripe's
    exponent from iso_currencies. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'payout'),
            get_stripe_columns('payout')
        ) }}
    from {{ source('stripe', 'payout') }}

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
        cast(source.id as {{ dbt.type_string() }}) as payout_id,
        source.balance_transaction_id,

        -- strings
        lower(source.status) as payout_status,
        lower(source.method) as payout_method,
        lower(source.type) as payout_type,
        source.failure_code,

        -- money: settlement currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.amount as amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount,

        -- booleans
        source.automatic as is_automatic,
        source.livemode as is_livemode,

        -- dates: Stripe's expected arrival day (midnight UTC)
        cast(source.arrival_date as date) as arrival_date,

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
