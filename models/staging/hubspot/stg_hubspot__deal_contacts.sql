{#- One row per deal x associated contact. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'deal_contact'),
            get_hubspot_columns('deal_contact')
        ) }}
    from {{ source('hubspot', 'deal_contact') }}

),

renamed as (

    select
        -- keys
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,

        -- strings
        lower(category) as association_category,

        -- numerics
        type_id as association_type_id,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
