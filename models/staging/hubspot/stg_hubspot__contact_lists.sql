{#- One row per contact list. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'contact_list'),
            get_hubspot_columns('contact_list')
        ) }}
    from {{ source('hubspot', 'contact_list') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as contact_list_id,

        -- strings
        name as list_name,

        -- numerics
        list_version,

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
