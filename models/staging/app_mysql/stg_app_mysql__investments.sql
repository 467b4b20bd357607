{#- One row per investment (holding), its principal in minor and major
    units of its currency (ISO exponent). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'investments'),
            get_app_mysql_columns('investments')
        ) }}
    from {{ source('app_mysql', 'investments') }}

),

currencies as (

    select
        currency_code,
        iso_exponent
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as investment_id,
        source.public_id as investment_public_id,
        cast(source.user_id as {{ dbt.type_string() }}) as app_user_id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,
        cast(source.product_id as {{ dbt.type_string() }}) as product_id,

        -- strings
        lower(source.status) as investment_status,
        lower(source.channel) as channel,
        upper(source.currency) as currency_code,

        -- numerics: principal in minor and major units, locked rate
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        source.principal_minor as principal_amount_minor,
        cast(
            {{ minor_to_major(
                'source.principal_minor', 'currencies.iso_exponent'
            ) }} as {{ type_money() }}
        ) as principal_amount,
        source.annual_rate_bps,
        cast(
            source.annual_rate_bps / 10000 as {{ type_money() }}
        ) as annual_rate,

        -- booleans
        {# a batch job changed the status without bumping updated_at #}
        coalesce(
            source.updated_at < source.activated_at
            or source.updated_at < source.closed_at,
            false
        ) as has_stale_updated_at,
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- dates
        source.maturity_date,

        -- timestamps: naive UTC in MySQL
        source.placed_at,
        source.activated_at,
        source.closed_at,
        source.created_at,
        source.updated_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.principal_minor is null then 'missing principal'
            when source.principal_minor <= 0 then 'non-positive principal'
            when source.annual_rate_bps < 0 then 'negative rate'
            when source.placed_at is null then 'missing placed_at'
            when source.placed_at > source._fivetran_synced
                then 'placed after it was loaded'
            when source.activated_at < source.placed_at
                then 'activated before it was placed'
            when source.closed_at < source.placed_at
                then 'closed before it was placed'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
