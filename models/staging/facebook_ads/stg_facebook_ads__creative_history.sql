{#- One row per version of a Facebook ad creative, the latest flagged by
    sync time, with its landing page and UTM tags. Facebook appends url_tags
    to the link, so a tag in url_tags wins over the same parameter in
    page_link; utm_source_origin records where the tags came from. -#}
{#- url_tags is a JSON array of {"key", "value", "type"} objects: the value
    of the object whose key is the parameter, in either order of the fields,
    read with a regular expression that cannot fail on malformed JSON;
    [^{}] keeps each match inside one object. -#}
{%- set url_tag = {} -%}
{%- for parameter in [
    'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'
] -%}
    {%- set key_first = regexp_extract_group(
        'url_tags',
        '[{][^{}]*"key" *: *"' ~ parameter ~ '"[^{}]*"value" *: *"([^"]*)"'
    ) -%}
    {%- set value_first = regexp_extract_group(
        'url_tags',
        '[{][^{}]*"value" *: *"([^"]*)"[^{}]*"key" *: *"' ~ parameter ~ '"'
    ) -%}
    {%- do url_tag.update({parameter: clean_campaign_value(
        'coalesce(' ~ key_first ~ ', ' ~ value_first ~ ')'
    )}) -%}
{%- endfor %}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'creative_history'),
            get_facebook_ads_columns('creative_history')
        ) }}
    from {{ source('facebook_ads', 'creative_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as creative_id,
        _fivetran_id as creative_version_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(name), '') as creative_name,
        nullif(trim(page_link), '') as page_link,
        nullif(trim(template_page_link), '') as template_page_link,
        nullif(
            trim(object_story_link_data_link), ''
        ) as object_story_link_data_link,
        url_tags,
        asset_feed_spec_link_urls,
        {# the link the ad opens: the link ad's page, its story link, the
           dynamic template, else the first asset-feed website URL #}
        coalesce(
            nullif(trim(page_link), ''),
            nullif(trim(object_story_link_data_link), ''),
            nullif(trim(template_page_link), ''),
            {{ regexp_extract_group(
                'asset_feed_spec_link_urls',
                '"website_url" *: *"([^"]*)"'
            ) }}
        ) as landing_page_url,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing creative id'
            when _fivetran_id is null then 'missing version id'
        end as quarantine_reason

    from source

),

tags_parsed as (

    select
        *,
        -- UTM tags in url_tags
        {{ url_tag['utm_source'] }} as url_tags_utm_source,
        {{ url_tag['utm_medium'] }} as url_tags_utm_medium,
        {{ url_tag['utm_campaign'] }} as url_tags_utm_campaign,
        {{ url_tag['utm_content'] }} as url_tags_utm_content,
        {{ url_tag['utm_term'] }} as url_tags_utm_term,

        -- UTM tags in the link, as for Segment pages
        {{ url_parameter('landing_page_url', 'utm_source') }}
            as page_link_utm_source,
        {{ url_parameter('landing_page_url', 'utm_medium') }}
            as page_link_utm_medium,
        {{ url_parameter('landing_page_url', 'utm_campaign') }}
            as page_link_utm_campaign,
        {{ url_parameter('landing_page_url', 'utm_content') }}
            as page_link_utm_content,
        {{ url_parameter('landing_page_url', 'utm_term') }}
            as page_link_utm_term
    from renamed

),

utms_chosen as (

    select
        *,
        {{ url_host('landing_page_url') }} as landing_page_host,
        {{ url_path('landing_page_url') }} as landing_page_path,
        coalesce(url_tags_utm_source, page_link_utm_source) as utm_source,
        coalesce(url_tags_utm_medium, page_link_utm_medium) as utm_medium,
        coalesce(url_tags_utm_campaign, page_link_utm_campaign)
            as utm_campaign,
        coalesce(url_tags_utm_content, page_link_utm_content)
            as utm_content,
        coalesce(url_tags_utm_term, page_link_utm_term) as utm_term,
        coalesce(
            url_tags_utm_source is not null
            or url_tags_utm_medium is not null
            or url_tags_utm_campaign is not null
            or url_tags_utm_content is not null
            or url_tags_utm_term is not null,
            false
        ) as has_url_tags_utms,
        coalesce(
            page_link_utm_source is not null
            or page_link_utm_medium is not null
            or page_link_utm_campaign is not null
            or page_link_utm_content is not null
            or page_link_utm_term is not null,
            false
        ) as has_page_link_utms,
        coalesce(
            url_tags_utm_source != page_link_utm_source
            or url_tags_utm_medium != page_link_utm_medium
            or url_tags_utm_campaign != page_link_utm_campaign
            or url_tags_utm_content != page_link_utm_content
            or url_tags_utm_term != page_link_utm_term,
            false
        ) as has_utm_conflict
    from tags_parsed

),

versioned as (

    select
        creative_id,
        creative_version_id,
        account_id,
        creative_name,
        page_link,
        template_page_link,
        object_story_link_data_link,
        url_tags,
        asset_feed_spec_link_urls,
        landing_page_url,
        landing_page_host,
        landing_page_path,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        case
            when has_utm_conflict then 'conflict'
            when has_url_tags_utms and has_page_link_utms then 'both'
            when has_url_tags_utms then 'url_tags'
            when has_page_link_utms then 'page_link'
        end as utm_source_origin,
        has_url_tags_utms or has_page_link_utms as has_utm_parameters,
        has_utm_conflict,
        _loaded_at,
        quarantine_reason,
        {# no updated_time here: the sync time orders versions; two
           versions can share it, Fivetran's row id breaks the tie #}
        row_number() over (
            partition by creative_id
            order by
                _loaded_at asc nulls first,
                creative_version_id asc nulls first
        ) as version_number
    from utms_chosen

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
