{#- One row per call engagement. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_call'),
            get_hubspot_columns('engagement_call')
        ) }}
    from {{ source('hubspot', 'engagement_call') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,

        -- strings
        lower(type) as engagement_type,
        property_hs_call_title as call_title,
        property_hs_call_body as call_body,
        lower(property_hs_call_direction) as call_direction,
        property_hs_call_disposition as call_disposition_id,
        lower(property_hs_call_status) as call_status,

        -- numerics
        cast(
            {{ regexp_extract_group(
                'trim(property_hs_call_duration)', '^([0-9]+)$'
            ) }} as {{ dbt.type_bigint() }}
        ) / 1000.0 as call_duration_seconds,

        -- timestamps (UTC)
        property_hs_timestamp as occurred_at,
        property_hs_createdate as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
