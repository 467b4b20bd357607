{#- One row per version of the Facebook ad account, the latest flagged by
    sync time (the table has no business timestamp). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'account_history'),
            get_facebook_ads_columns('account_history')
        ) }}
    from {{ source('facebook_ads', 'account_history') }}

),

currencies as (

    select currency_code
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(source.name), '') as account_name,
        lower(source.account_status) as account_status,
        upper(trim(source.currency)) as currency_code,
        source.timezone_name,
        upper(source.business_country_code) as business_country_code,

        -- numerics
        source.timezone_offset_hours_utc,

        -- timestamps (UTC)
        source.created_time as created_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when source.id is null then 'missing account id'
            when currencies.currency_code is null then 'unknown currency'
            when source.timezone_name is null then 'missing time zone'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(trim(source.currency)) = currencies.currency_code

),

versioned as (

    select
        *,
        {# no updated_time here: the sync time orders versions, the name
           makes ties deterministic #}
        row_number() over (
            partition by account_id
            order by
                _loaded_at asc nulls first,
                account_name asc nulls first
        ) as version_number
    from renamed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by account_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
