{#- One row per live deal. Deals deleted in HubSpot (is_deleted) and merged-
    away duplicates (_fivetran_deleted, listed in merged_deal) are excluded
    after the column fill and counted by a test on the source. The amount
    is a decimal string in the portal currency (GBP). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'deal'),
            get_hubspot_columns('deal')
        ) }}
    from {{ source('hubspot', 'deal') }}

),

renamed as (

    select
        -- keys
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(deal_pipeline_id as {{ dbt.type_string() }}) as deal_pipeline_id,
        cast(deal_pipeline_stage_id as {{ dbt.type_string() }})
            as deal_stage_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(portal_id as {{ dbt.type_string() }}) as portal_id,

        -- strings
        nullif(trim(property_dealname), '') as deal_name,

        -- money: HubSpot amounts are major units of the portal currency
        'GBP' as currency_code,
        property_amount as deal_amount_text,
        {# dbt.safe_cast is a plain cast on DuckDB: check the shape first #}
        cast(
            {{ regexp_extract_group(
                'trim(property_amount)', '^(-?[0-9]+(?:[.][0-9]+)?)$'
            ) }} as {{ type_money() }}
        ) as deal_amount,

        -- booleans
        coalesce(is_deleted, false) as is_deleted,

        -- timestamps (UTC)
        property_createdate as created_at,
        property_closedate as closed_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,
        coalesce(_fivetran_deleted, false) as _is_source_deleted

    from source

),

live as (

    select
        *,
        case
            when deal_amount_text is not null and deal_amount is null
                then 'unparseable amount'
            when deal_amount < 0 then 'negative amount'
            when created_at is null then 'missing created timestamp'
        end as quarantine_reason
    from renamed
    where not (is_deleted or _is_source_deleted)

)

select * from live
