{#- One row per deal merged away into another deal. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'merged_deal'),
            get_hubspot_columns('merged_deal')
        ) }}
    from {{ source('hubspot', 'merged_deal') }}

),

renamed as (

    select
        -- keys
        cast(merged_deal_id as {{ dbt.type_string() }}) as merged_deal_id,
        cast(deal_id as {{ dbt.type_string() }}) as merged_into_deal_id,

        -- strings
        lower(category) as association_category,

        -- numerics
        type_id as association_type_id,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
