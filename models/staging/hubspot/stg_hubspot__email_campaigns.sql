{#- One row per marketing email. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_campaign'),
            get_hubspot_columns('email_campaign')
        ) }}
    from {{ source('hubspot', 'email_campaign') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as email_campaign_id,
        cast(app_id as {{ dbt.type_string() }}) as app_id,
        cast(content_id as {{ dbt.type_string() }}) as content_id,

        -- strings
        app_name,
        name as campaign_name,
        subject as email_subject,
        lower(type) as campaign_type,

        -- numerics
        num_included as included_count,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
