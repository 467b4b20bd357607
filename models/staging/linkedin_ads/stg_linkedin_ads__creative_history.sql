{#- One row per version of a LinkedIn creative, the latest flagged by its
    last modification then sync time. The API migration renamed
    created_time, last_modified_time and status to created_at,
    last_modified_at and intended_status: the new column wins, column_era
    says which were set. The landing page sits in one of three fields. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('linkedin_ads', 'creative_history'),
            get_linkedin_ads_columns('creative_history')
        ) }}
    from {{ source('linkedin_ads', 'creative_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as creative_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- strings: new columns over old ones
        lower(coalesce(intended_status, status)) as creative_status,
        case
            when
                (
                    created_at is not null
                    or last_modified_at is not null
                    or intended_status is not null
                )
                and (
                    created_time is not null
                    or last_modified_time is not null
                    or status is not null
                )
                then 'both'
            when
                created_at is not null
                or last_modified_at is not null
                or intended_status is not null
                then 'new'
            when
                created_time is not null
                or last_modified_time is not null
                or status is not null
                then 'old'
        end as column_era,
        coalesce(
            nullif(trim(click_uri), ''),
            nullif(trim(text_ad_landing_page), ''),
            nullif(trim(spotlight_landing_page), '')
        ) as landing_page_url,
        case
            when nullif(trim(click_uri), '') is not null then 'click_uri'
            when nullif(trim(text_ad_landing_page), '') is not null
                then 'text_ad_landing_page'
            when nullif(trim(spotlight_landing_page), '') is not null
                then 'spotlight_landing_page'
        end as landing_page_field,

        -- timestamps (UTC): new columns over old ones
        coalesce(created_at, created_time) as created_at,
        coalesce(last_modified_at, last_modified_time) as last_modified_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing creative id'
            when coalesce(last_modified_at, last_modified_time) is null
                then 'missing last modified time'
        end as quarantine_reason

    from source

),

parsed as (

    select
        *,
        -- landing page and UTM tags, as for Segment pages
        {{ url_host('landing_page_url') }} as landing_page_host,
        {{ url_path('landing_page_url') }} as landing_page_path,
        {{ url_parameter('landing_page_url', 'utm_source') }} as utm_source,
        {{ url_parameter('landing_page_url', 'utm_medium') }} as utm_medium,
        {{ url_parameter('landing_page_url', 'utm_campaign') }}
            as utm_campaign,
        {{ url_parameter('landing_page_url', 'utm_content') }}
            as utm_content,
        {{ url_parameter('landing_page_url', 'utm_term') }} as utm_term
    from renamed

),

versioned as (

    select
        *,
        coalesce(
            utm_source is not null
            or utm_medium is not null
            or utm_campaign is not null
            or utm_content is not null
            or utm_term is not null,
            false
        ) as has_utm_parameters,
        {# ties on the modification and sync times (the same version landed
           in both column sets): status, era and URL make the order
           deterministic #}
        row_number() over (
            partition by creative_id
            order by
                last_modified_at asc nulls first,
                _loaded_at asc nulls first,
                creative_status asc nulls first,
                column_era asc nulls first,
                landing_page_url asc nulls first
        ) as version_number
    from parsed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by creative_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
