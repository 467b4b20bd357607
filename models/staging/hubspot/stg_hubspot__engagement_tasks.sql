{#- One row per task engagement. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_task'),
            get_hubspot_columns('engagement_task')
        ) }}
    from {{ source('hubspot', 'engagement_task') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,

        -- strings
        lower(type) as engagement_type,
        property_hs_task_subject as task_subject,
        property_hs_task_body as task_body,
        lower(property_hs_task_status) as task_status,
        lower(property_hs_task_priority) as task_priority,
        lower(property_hs_task_type) as task_type,

        -- timestamps (UTC)
        property_hs_timestamp as occurred_at,
        property_hs_createdate as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
