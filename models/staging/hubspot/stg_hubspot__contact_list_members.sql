{#- One row per contact list x current member (removed members excluded). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'contact_list_member'),
            get_hubspot_columns('contact_list_member')
        ) }}
    from {{ source('hubspot', 'contact_list_member') }}

),

renamed as (

    select
        -- keys
        cast(contact_list_id as {{ dbt.type_string() }}) as contact_list_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,

        -- timestamps (UTC)
        added_at,

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
