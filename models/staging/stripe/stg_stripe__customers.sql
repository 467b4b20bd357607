{#- One row per Stripe customer (live and test mode). Emails normalised and
    hashed; the balance by Stripe's exponent from iso_currencies. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'customer'),
            get_stripe_columns('customer')
        ) }}
    from {{ source('stripe', 'customer') }}

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
        cast(source.id as {{ dbt.type_string() }}) as customer_id,
        nullif(
            {{ json_extract_string('source.metadata', '$.user_public_id') }},
            ''
        ) as user_id,
        nullif(
            {{ json_extract_string('source.metadata', '$.app_user_id') }},
            ''
        ) as app_user_id,

        -- personal data (stays in staging and dim_users_pii)
        {{ normalize_email('source.email') }} as email,
        {{ hash_key(normalize_email('source.email')) }} as email_hash,
        nullif(trim(source.name), '') as customer_name,

        -- money: the customer's default currency, Stripe exponent
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        upper(source.currency) as currency_code,
        source.balance as balance_amount_minor,
        cast(
            {{ minor_to_major(
                'source.balance', 'currencies.stripe_exponent'
            ) }} as {{ type_money() }}
        ) as balance_amount,

        -- booleans
        source.delinquent as is_delinquent,
        source.is_deleted,
        source.livemode as is_livemode,

        -- timestamps (UTC)
        source.created as created_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when
                source.currency is not null
                and currencies.currency_code is null
                then 'unknown currency'
            when source.created is null then 'missing created timestamp'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
