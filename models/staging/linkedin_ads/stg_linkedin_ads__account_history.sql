{#- One row per version of the LinkedIn ad account, the latest flagged by
    last_modified_time, then sync time, then LinkedIn's version tag. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('linkedin_ads', 'account_history'),
            get_linkedin_ads_columns('account_history')
        ) }}
    from {{ source('linkedin_ads', 'account_history') }}

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
        upper(trim(source.currency)) as currency_code,
        lower(source.status) as account_status,
        lower(source.type) as account_type,
        source.version_tag,

        -- timestamps (UTC)
        source.created_time as created_at,
        source.last_modified_time as last_modified_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when source.id is null then 'missing account id'
            when source.last_modified_time is null
                then 'missing last_modified_time'
            when currencies.currency_code is null then 'unknown currency'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(trim(source.currency)) = currencies.currency_code

),

versioned as (

    select
        *,
        {# ties on last_modified_time and sync time: LinkedIn's version
           tag (an increasing integer) breaks them #}
        row_number() over (
            partition by account_id
            order by
                last_modified_at asc nulls first,
                _loaded_at asc nulls first,
                {{ dbt.safe_cast('version_tag', dbt.type_bigint()) }}
                asc nulls first,
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
