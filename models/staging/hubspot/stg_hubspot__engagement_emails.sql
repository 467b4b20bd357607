{#- One row per sales email engagement (one-to-one emails logged in the
    CRM). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_email'),
            get_hubspot_columns('engagement_email')
        ) }}
    from {{ source('hubspot', 'engagement_email') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,

        -- strings
        lower(type) as engagement_type,
        property_hs_email_subject as email_subject,
        property_hs_email_text as email_text,
        lower(property_hs_email_direction) as email_direction,
        lower(property_hs_email_status) as email_status,

        -- timestamps (UTC)
        property_hs_timestamp as occurred_at,
        property_hs_createdate as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
