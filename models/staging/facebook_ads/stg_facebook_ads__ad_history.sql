{#- One row per version of a Facebook ad, the latest flagged by
    updated_time then sync time. The integer id becomes a string so that it
    joins basic_ad's string ad_id. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'ad_history'),
            get_facebook_ads_columns('ad_history')
        ) }}
    from {{ source('facebook_ads', 'ad_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as ad_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(ad_set_id as {{ dbt.type_string() }}) as ad_set_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(creative_id as {{ dbt.type_string() }}) as creative_id,

        -- strings
        nullif(trim(name), '') as ad_name,
        lower(conversion_domain) as conversion_domain,

        -- timestamps (UTC)
        updated_time as updated_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing ad id'
            when updated_time is null then 'missing updated_time'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on updated_time and sync time: creative and name make the
           order deterministic #}
        row_number() over (
            partition by ad_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                creative_id asc nulls first,
                ad_name asc nulls first
        ) as version_number
    from renamed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by ad_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
