{#- One row per engagement x associated contact. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_contact'),
            get_hubspot_columns('engagement_contact')
        ) }}
    from {{ source('hubspot', 'engagement_contact') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
