{#- One row per note engagement; the HTML body also as plain text. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_note'),
            get_hubspot_columns('engagement_note')
        ) }}
    from {{ source('hubspot', 'engagement_note') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,

        -- strings
        lower(type) as engagement_type,
        property_hs_note_body as note_body_html,
        {{ strip_html('property_hs_note_body') }} as note_text,

        -- timestamps (UTC)
        property_hs_timestamp as occurred_at,
        property_hs_createdate as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
