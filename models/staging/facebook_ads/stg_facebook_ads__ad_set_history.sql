{#- One row per version of a Facebook ad set (the ad-group level), the
    latest flagged by updated_time then sync time. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'ad_set_history'),
            get_facebook_ads_columns('ad_set_history')
        ) }}
    from {{ source('facebook_ads', 'ad_set_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as ad_set_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- strings
        nullif(trim(name), '') as ad_set_name,
        lower(status) as ad_set_status,
        lower(bid_strategy) as bid_strategy,
        lower(optimization_goal) as optimization_goal,

        -- money: minor units of the account currency (currency_code is on
        -- stg_facebook_ads__account_history; the intermediate layer converts)
        daily_budget as daily_budget_amount_minor,

        -- timestamps (UTC)
        start_time as started_at,
        end_time as ended_at,
        updated_time as updated_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing ad set id'
            when updated_time is null then 'missing updated_time'
            when daily_budget < 0 then 'negative budget'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on updated_time and sync time: status, budget and name make
           the order deterministic #}
        row_number() over (
            partition by ad_set_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                ad_set_status asc nulls first,
                daily_budget_amount_minor asc nulls first,
                ad_set_name asc nulls first
        ) as version_number
    from renamed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by ad_set_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
