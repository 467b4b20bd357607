{#- One row per live company. Companies deleted in HubSpot (is_deleted or
    _fivetran_deleted) are excluded after the column fill and counted by a
    test on the source. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'company'),
            get_hubspot_columns('company')
        ) }}
    from {{ source('hubspot', 'company') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as company_id,

        -- strings
        nullif(trim(property_name), '') as company_name,
        lower(nullif(trim(property_domain), '')) as company_domain,
        property_industry as industry,
        property_country as country,

        -- booleans
        coalesce(is_deleted, false) as is_deleted,

        -- timestamps (UTC)
        property_createdate as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,
        coalesce(_fivetran_deleted, false) as _is_source_deleted

    from source

),

live as (

    select *
    from renamed
    where not (is_deleted or _is_source_deleted)

)

select * from live
