{#- One row per HubSpot form. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'form'),
            get_hubspot_columns('form')
        ) }}
    from {{ source('hubspot', 'form') }}

),

renamed as (

    select
        -- keys
        guid as form_id,

        -- strings
        name as form_name,
        lower(form_type) as form_type,

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
