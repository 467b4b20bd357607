{#- One row per deal pipeline. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'deal_pipeline'),
            get_hubspot_columns('deal_pipeline')
        ) }}
    from {{ source('hubspot', 'deal_pipeline') }}

),

renamed as (

    select
        -- keys
        cast(pipeline_id as {{ dbt.type_string() }}) as deal_pipeline_id,

        -- strings
        label as pipeline_label,

        -- numerics
        display_order,

        -- booleans
        coalesce(active, false) as is_active,

        -- timestamps (UTC)
        created_at,
        updated_at,

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
