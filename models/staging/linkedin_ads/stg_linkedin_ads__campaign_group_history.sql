{#- One row per version of a LinkedIn campaign group, the latest flagged by
    last_modified_time then sync time. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('linkedin_ads', 'campaign_group_history'),
            get_linkedin_ads_columns('campaign_group_history')
        ) }}
    from {{ source('linkedin_ads', 'campaign_group_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as campaign_group_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(name), '') as campaign_group_name,
        lower(status) as campaign_group_status,

        -- timestamps (UTC)
        run_schedule_start as run_schedule_started_at,
        run_schedule_end as run_schedule_ended_at,
        created_time as created_at,
        last_modified_time as last_modified_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing campaign group id'
            when last_modified_time is null then 'missing last_modified_time'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on last_modified_time and sync time: status and name make
           the order deterministic #}
        row_number() over (
            partition by campaign_group_id
            order by
                last_modified_at asc nulls first,
                _loaded_at asc nulls first,
                campaign_group_status asc nulls first,
                campaign_group_name asc nulls first
        ) as version_number
    from renamed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by campaign_group_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
