{#- One row per engagement (call, email, meeting, note, task). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement'),
            get_hubspot_columns('engagement')
        ) }}
    from {{ source('hubspot', 'engagement') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as engagement_id,
        cast(portal_id as {{ dbt.type_string() }}) as portal_id,

        -- strings
        lower(type) as engagement_type,

        -- booleans
        coalesce(active, false) as is_active,

        -- timestamps (UTC)
        created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,
        coalesce(_fivetran_deleted, false) as _is_source_deleted

    from source

),

live as (

    select *
    from renamed
    where not _is_source_deleted

)

select * from live
