{#- One row per investable product, with its current rate and its limits
    in minor and major units of its currency (ISO exponent). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'products'),
            get_app_mysql_columns('products')
        ) }}
    from {{ source('app_mysql', 'products') }}

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
        cast(source.id as {{ dbt.type_string() }}) as product_id,
        source.code as product_code,

        -- strings
        source.name as product_name,
        lower(source.product_type) as product_type,
        upper(source.risk_band) as risk_band,
        upper(source.currency) as currency_code,

        -- numerics: rate, term and limits in minor and major units
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        source.annual_rate_bps,
        cast(
            source.annual_rate_bps / 10000 as {{ type_money() }}
        ) as annual_rate,
        source.term_days,
        source.notice_days,
        source.min_investment_minor as min_investment_amount_minor,
        cast(
            {{ minor_to_major(
                'source.min_investment_minor', 'currencies.iso_exponent'
            ) }} as {{ type_money() }}
        ) as min_investment_amount,
        source.max_investment_minor as max_investment_amount_minor,
        cast(
            {{ minor_to_major(
                'source.max_investment_minor', 'currencies.iso_exponent'
            ) }} as {{ type_money() }}
        ) as max_investment_amount,

        -- booleans: MySQL tinyint(1)
        coalesce(source.is_isa_eligible = 1, false) as is_isa_eligible,
        coalesce(source.is_active = 1, false) as is_active,
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL
        source.launched_at,
        source.retired_at,
        source.created_at,
        source.updated_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.annual_rate_bps < 0 then 'negative rate'
            when source.min_investment_minor < 0
                then 'negative minimum investment'
            when source.max_investment_minor < source.min_investment_minor
                then 'maximum investment below minimum'
            when source.retired_at < source.launched_at
                then 'retired before it was launched'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
