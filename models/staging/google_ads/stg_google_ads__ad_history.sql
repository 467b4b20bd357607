{#- One row per version of a Google Ads ad, the latest flagged by
    updated_at then sync time, with its landing page and UTM tags parsed
    from final_urls. -#}
{%- set quote = dbt.escape_single_quotes("'") -%}
with

source as (

    select
        {{ fill_missing_columns(
            source('google_ads', 'ad_history'),
            get_google_ads_columns('ad_history')
        ) }}
    from {{ source('google_ads', 'ad_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as ad_id,
        cast(ad_group_id as {{ dbt.type_string() }}) as ad_group_id,

        -- strings
        nullif(trim(name), '') as ad_name,
        lower(type) as ad_type,
        lower(status) as ad_status,
        nullif(trim(display_url), '') as display_url,
        {# final_urls is a list rendered as text, ['https://...', ...]:
           the first URL without the brackets and quotes #}
        nullif(
            trim(
                {{ dbt.split_part(
                    'final_urls',
                    "'" ~ quote ~ ", " ~ quote ~ "'",
                    1
                ) }},
                '[]{{ quote }} '
            ),
            ''
        ) as final_url,
        final_urls,

        -- timestamps (UTC)
        updated_at,

        -- loader metadata
        _fivetran_active as _is_source_active,
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing ad id'
            when updated_at is null then 'missing updated_at'
        end as quarantine_reason

    from source

),

parsed as (

    select
        *,
        -- landing page and UTM tags, as for Segment pages
        {{ url_host('final_url') }} as landing_page_host,
        case
            when final_url is not null then {{ url_path('final_url') }}
        end as landing_page_path,
        {{ url_parameter('final_url', 'utm_source') }} as utm_source,
        {{ url_parameter('final_url', 'utm_medium') }} as utm_medium,
        {{ url_parameter('final_url', 'utm_campaign') }} as utm_campaign,
        {{ url_parameter('final_url', 'utm_content') }} as utm_content,
        {{ url_parameter('final_url', 'utm_term') }} as utm_term
    from renamed

),

versioned as (

    select
        *,
        coalesce(
            utm_source is not null
            or utm_medium is not null
            or utm_campaign is not null,
            false
        ) as has_utm_parameters,
        {# ties on updated_at and sync time: the loader flag breaks them
           only then, the URL makes the order deterministic #}
        row_number() over (
            partition by ad_group_id, ad_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                _is_source_active asc nulls first,
                final_urls asc nulls first,
                ad_name asc nulls first
        ) as version_number,
        row_number() over (
            partition by ad_group_id, ad_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _is_source_active desc nulls last,
                final_urls desc nulls last,
                ad_name desc nulls last
        ) = 1 as is_most_recent_record
    from parsed

)

select * from versioned
