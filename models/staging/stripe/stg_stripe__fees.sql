{#- One row per fee component of a Stripe balance transaction, in the
    settlement currency, by Stripe's exponent from iso_currencies. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'fee'),
            get_stripe_columns('fee')
        ) }}
    from {{ source('stripe', 'fee') }}

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
        {{ dbt.concat([
            'source.balance_transaction_id',
            "'-'",
            'cast(source.' ~ adapter.quote('index') ~ ' as '
                ~ dbt.type_string() ~ ')'
        ]) }} as fee_id,
        source.balance_transaction_id,

        -- strings
        lower(source.type) as fee_type,
        source.description as fee_description,

        -- money: settlement currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.amount as amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount,

        -- numerics
        source.{{ adapter.quote('index') }} as fee_index,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.amount < 0 then 'negative amount'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
