{#- One row per deal x associated company. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'deal_company'),
            get_hubspot_columns('deal_company')
        ) }}
    from {{ source('hubspot', 'deal_company') }}

),

renamed as (

    select
        -- keys
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(company_id as {{ dbt.type_string() }}) as company_id,

        -- strings
        lower(category) as association_category,

        -- numerics
        type_id as association_type_id,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
