{#- One row per version of a Facebook campaign (renames, pauses, budget
    edits), the latest flagged by updated_time then sync time. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'campaign_history'),
            get_facebook_ads_columns('campaign_history')
        ) }}
    from {{ source('facebook_ads', 'campaign_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as campaign_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(name), '') as campaign_name,
        lower(status) as campaign_status,

        -- money: minor units of the account currency (currency_code is on
        -- stg_facebook_ads__account_history; the intermediate layer converts)
        daily_budget as daily_budget_amount_minor,
        lifetime_budget as lifetime_budget_amount_minor,
        budget_remaining as budget_remaining_amount_minor,

        -- timestamps (UTC)
        start_time as started_at,
        stop_time as stopped_at,
        created_time as created_at,
        updated_time as updated_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing campaign id'
            when updated_time is null then 'missing updated_time'
            when
                daily_budget < 0
                or lifetime_budget < 0
                or budget_remaining < 0
                then 'negative budget'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on updated_time and sync time: status, budget and name make
           the order deterministic #}
        row_number() over (
            partition by campaign_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                campaign_status asc nulls first,
                daily_budget_amount_minor asc nulls first,
                campaign_name asc nulls first
        ) as version_number
    from renamed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by campaign_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
