{#- One row per engagement x associated deal. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'engagement_deal'),
            get_hubspot_columns('engagement_deal')
        ) }}
    from {{ source('hubspot', 'engagement_deal') }}

),

renamed as (

    select
        -- keys
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
