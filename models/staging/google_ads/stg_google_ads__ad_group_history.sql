{#- One row per version of a Google Ads ad group, the latest flagged by
    updated_at then sync time. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('google_ads', 'ad_group_history'),
            get_google_ads_columns('ad_group_history')
        ) }}
    from {{ source('google_ads', 'ad_group_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as ad_group_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- strings
        nullif(trim(name), '') as ad_group_name,
        nullif(trim(campaign_name), '') as campaign_name,
        lower(status) as ad_group_status,
        lower(type) as ad_group_type,

        -- timestamps (UTC)
        updated_at,

        -- loader metadata
        _fivetran_active as _is_source_active,
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing ad group id'
            when updated_at is null then 'missing updated_at'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on updated_at and sync time: the loader flag breaks them
           only then, the name makes the order deterministic #}
        row_number() over (
            partition by ad_group_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                _is_source_active asc nulls first,
                ad_group_name asc nulls first
        ) as version_number,
        row_number() over (
            partition by ad_group_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _is_source_active desc nulls last,
                ad_group_name desc nulls last
        ) = 1 as is_most_recent_record
    from renamed

)

select * from versioned
