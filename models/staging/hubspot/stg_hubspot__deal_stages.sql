{#- One row per deal x stage version (Fivetran history mode: a row per sync
    that changed the stage), with the current stage flagged by the business
    time the stage was entered, then the load time. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'deal_stage'),
            get_hubspot_columns('deal_stage')
        ) }}
    from {{ source('hubspot', 'deal_stage') }}

),

renamed as (

    select
        -- keys
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast({{ adapter.quote('value') }} as {{ dbt.type_string() }})
            as deal_stage_id,

        -- strings
        lower(source) as change_source,
        source_id as change_source_id,

        -- booleans
        coalesce(_fivetran_active, false) as is_fivetran_active,

        -- timestamps (UTC)
        date_entered as entered_at,
        _fivetran_start as valid_from,
        case
            when _fivetran_end
                < cast('9999-01-01' as {{ dbt.type_timestamp() }})
                then _fivetran_end
        end as valid_to,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

),

flagged as (

    select
        *,
        row_number() over (
            partition by deal_id
            order by entered_at desc, _loaded_at desc, deal_stage_id desc
        ) = 1 as is_most_recent_record
    from renamed

)

select * from flagged
