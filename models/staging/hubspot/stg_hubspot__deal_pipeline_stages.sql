{#- One row per deal pipeline stage, with its win probability. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'deal_pipeline_stage'),
            get_hubspot_columns('deal_pipeline_stage')
        ) }}
    from {{ source('hubspot', 'deal_pipeline_stage') }}

),

renamed as (

    select
        -- keys
        cast(stage_id as {{ dbt.type_string() }}) as deal_stage_id,
        cast(pipeline_id as {{ dbt.type_string() }}) as deal_pipeline_id,

        -- strings
        label as stage_label,

        -- numerics
        display_order,
        probability as win_probability_rate,

        -- booleans
        coalesce(active, false) as is_active,
        coalesce(probability = 1, false) as is_closed_won,
        coalesce(probability = 0, false) as is_closed_lost,

        -- timestamps (UTC)
        created_at,
        updated_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,
        coalesce(_fivetran_deleted, false) as _is_source_deleted

    from source

),

live as (

    select *
    from renamed
    where not _is_source_deleted

)

select * from live
