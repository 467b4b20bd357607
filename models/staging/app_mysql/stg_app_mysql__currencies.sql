{#- One row per currency the app knows, its exponent checked against the
    iso_currencies seed. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'currencies'),
            get_app_mysql_columns('currencies')
        ) }}
    from {{ source('app_mysql', 'currencies') }}

),

iso_currencies as (

    select
        currency_code,
        iso_exponent
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        upper(trim(source.code)) as currency_code,

        -- strings
        source.name as currency_name,

        -- numerics
        source.minor_unit as minor_unit_exponent,
        iso_currencies.iso_exponent,

        -- booleans: MySQL tinyint(1)
        coalesce(source.is_enabled = 1, false) as is_enabled,
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when iso_currencies.currency_code is null
                then 'unknown currency'
            when source.minor_unit is null then 'missing exponent'
            when source.minor_unit != iso_currencies.iso_exponent
                then 'exponent differs from iso_currencies'
        end as quarantine_reason

    from source
    left outer join iso_currencies
        on upper(trim(source.code)) = iso_currencies.currency_code

)

select * from renamed
