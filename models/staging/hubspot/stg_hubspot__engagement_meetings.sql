{#- One row per meeting engagement. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_meeting'),
            get_hubspot_columns('engagement_meeting')
        ) }}
    from {{ source('hubspot', 'engagement_meeting') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,

        -- strings
        lower(type) as engagement_type,
        property_hs_meeting_title as meeting_title,
        property_hs_meeting_body as meeting_body,
        lower(property_hs_meeting_outcome) as meeting_outcome,

        -- meeting times (UTC)
        property_hs_meeting_start_time as meeting_started_at,
        property_hs_meeting_end_time as meeting_ended_at,

        -- timestamps (UTC)
        property_hs_timestamp as occurred_at,
        property_hs_createdate as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
