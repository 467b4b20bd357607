{#- One row per Stripe balance transaction, in the settlement currency, by
    Stripe's exponent from iso_currencies. Amounts are signed: money in is
    positive, refunds, dispute withdrawals and payouts negative. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'balance_transaction'),
            get_stripe_columns('balance_transaction')
        ) }}
    from {{ source('stripe', 'balance_transaction') }}

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
        cast(source.id as {{ dbt.type_string() }}) as balance_transaction_id,
        source.source as source_object_id,
        source.payout_id,

        -- strings
        lower(source.type) as balance_transaction_type,
        case {{ dbt.split_part('source.source', "'_'", 1) }}
            when 'ch' then 'charge'
            when 'py' then 'charge'
            when 're' then 'refund'
            when 'pyr' then 'refund'
            when 'dp' then 'dispute'
            when 'po' then 'payout'
            else 'other'
        end as source_object_type,
        {# optional column, not landed yet: a typed NULL until it is #}
        lower(source.reporting_category) as reporting_category,
        lower(source.status) as balance_transaction_status,

        -- money: settlement currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.amount as amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as amount,
        source.fee as fee_amount_minor,
        cast(
            {{ minor_to_major(
                'source.fee', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as fee_amount,
        source.net as net_amount_minor,
        cast(
            {{ minor_to_major(
                'source.net', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as net_amount,

        -- numerics: settlement units per presentment unit (foreign cards)
        source.exchange_rate,

        -- booleans
        source.livemode as is_livemode,

        -- timestamps (UTC)
        source.created as created_at,
        source.available_on as available_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.fee < 0 then 'negative fee'
            when
                lower(source.type) in ('charge', 'payment')
                and source.amount < 0
                then 'negative charge amount'
            when
                lower(source.type) in ('refund', 'payment_refund')
                and source.amount > 0
                then 'positive refund amount'
            when source.created is null then 'missing created timestamp'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
