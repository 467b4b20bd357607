{#- One row per Segment message that event models read: every page, screen
    and track (the skeleton; never unioned with the per-event tables) and
    every identify, over the four sources, with legacy numeric user ids
    mapped to the public id and the campaign context of mobile deep links
    attached. Typed once here so that identity and event models share it.

    Incremental, so the four staging views are deduplicated once per run
    and downstream models scan a table: new rows are those received after
    the stored maximum less var('segment_overlap_hours'), replacing stored
    rows by event key. Staging keeps the first received copy of a message,
    so a re-delivered duplicate never reaches this model. Rows of erased
    people, and of every device they used, are deleted after each run. -#}
{{ config(
    materialized='incremental',
    incremental_strategy=event_replace_strategy(),
    unique_key=['source_platform', 'event_id'],
    on_schema_change='fail',
    partition_by=partition_by_day('received_at'),
    cluster_by=['source_platform', 'anonymous_id'],
    post_hook=["{{ purge_erased_segment_rows() }}"]
) }}

with

pages as (

    select * from {{ ref('stg_segment__pages') }}

),

screens as (

    select * from {{ ref('stg_segment__screens') }}

),

tracks as (

    select * from {{ ref('stg_segment__tracks') }}

),

identifies as (

    select * from {{ ref('stg_segment__identifies') }}

),

application_opened as (

    select * from {{ ref('stg_segment__application_opened') }}

),

deep_link_opened as (

    select * from {{ ref('stg_segment__deep_link_opened') }}

),

event_catalog as (

    select * from {{ ref('segment_event_catalog') }}

),

app_users as (

    select
        app_user_id,
        user_id
    from {{ ref('stg_app_mysql__users') }}

),

page_messages as (

    select
        event_id,
        source_platform,
        anonymous_id,
        user_id,
        is_legacy_user_id,
        'page' as event_type,
        'page_viewed' as event_name,
        page_url,
        page_url_host,
        page_url_path,
        page_title,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id,
        utm_id,
        hubspot_hsenc,
        device_class,
        is_bot,
        is_timestamp_suspect,
        arrival_lag_seconds,
        event_at,
        received_at
    from pages

),

screen_messages as (

    select
        event_id,
        source_platform,
        anonymous_id,
        user_id,
        is_legacy_user_id,
        'screen' as event_type,
        coalesce(screen_name, 'screen_viewed') as event_name,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as page_url_host,
        cast(null as {{ dbt.type_string() }}) as page_url_path,
        cast(null as {{ dbt.type_string() }}) as page_title,
        cast(null as {{ dbt.type_string() }}) as referrer_host,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_term,
        cast(null as {{ dbt.type_string() }}) as utm_content,
        cast(null as {{ dbt.type_string() }}) as gclid,
        cast(null as {{ dbt.type_string() }}) as gbraid,
        cast(null as {{ dbt.type_string() }}) as wbraid,
        cast(null as {{ dbt.type_string() }}) as msclkid,
        cast(null as {{ dbt.type_string() }}) as fbclid,
        cast(null as {{ dbt.type_string() }}) as li_fat_id,
        cast(null as {{ dbt.type_string() }}) as utm_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_hsenc,
        device_class,
        false as is_bot,
        is_timestamp_suspect,
        arrival_lag_seconds,
        event_at,
        received_at
    from screens

),

{# mobile campaign context lives on the deep-link URL of app opens #}
deep_links as (

    select
        source_platform,
        event_id,
        deep_link_url,
        deep_link_host,
        deep_link_path,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id,
        utm_id,
        hubspot_hsenc
    from application_opened
    where deep_link_url is not null

    union all

    select
        source_platform,
        event_id,
        deep_link_url,
        deep_link_host,
        deep_link_path,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id,
        utm_id,
        hubspot_hsenc
    from deep_link_opened

),

track_messages as (

    select
        tracks.event_id,
        tracks.source_platform,
        tracks.anonymous_id,
        tracks.user_id,
        tracks.is_legacy_user_id,
        'track' as event_type,
        tracks.event_name,
        coalesce(deep_links.deep_link_url, tracks.context_page_url)
            as page_url,
        deep_links.deep_link_host as page_url_host,
        coalesce(deep_links.deep_link_path, tracks.context_page_path)
            as page_url_path,
        cast(null as {{ dbt.type_string() }}) as page_title,
        cast(null as {{ dbt.type_string() }}) as referrer_host,
        deep_links.utm_source,
        deep_links.utm_medium,
        deep_links.utm_campaign,
        deep_links.utm_term,
        deep_links.utm_content,
        deep_links.gclid,
        deep_links.gbraid,
        deep_links.wbraid,
        deep_links.msclkid,
        deep_links.fbclid,
        deep_links.li_fat_id,
        deep_links.utm_id,
        deep_links.hubspot_hsenc,
        cast(null as {{ dbt.type_string() }}) as device_class,
        false as is_bot,
        tracks.is_timestamp_suspect,
        tracks.arrival_lag_seconds,
        tracks.event_at,
        tracks.received_at
    from tracks
    left outer join deep_links
        on
            tracks.source_platform = deep_links.source_platform
            and tracks.event_id = deep_links.event_id

),

identify_messages as (

    select
        event_id,
        source_platform,
        anonymous_id,
        user_id,
        is_legacy_user_id,
        'identify' as event_type,
        'identify' as event_name,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as page_url_host,
        cast(null as {{ dbt.type_string() }}) as page_url_path,
        cast(null as {{ dbt.type_string() }}) as page_title,
        cast(null as {{ dbt.type_string() }}) as referrer_host,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_term,
        cast(null as {{ dbt.type_string() }}) as utm_content,
        cast(null as {{ dbt.type_string() }}) as gclid,
        cast(null as {{ dbt.type_string() }}) as gbraid,
        cast(null as {{ dbt.type_string() }}) as wbraid,
        cast(null as {{ dbt.type_string() }}) as msclkid,
        cast(null as {{ dbt.type_string() }}) as fbclid,
        cast(null as {{ dbt.type_string() }}) as li_fat_id,
        cast(null as {{ dbt.type_string() }}) as utm_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_hsenc,
        device_class,
        is_bot,
        is_timestamp_suspect,
        arrival_lag_seconds,
        event_at,
        received_at
    from identifies

),

{% if is_incremental() %}

watermark as (

    select
        {{ timestamp_add(
            'hour', -1 * var('segment_overlap_hours'), 'max(received_at)'
        ) }} as read_from_at
    from {{ this }}

),

{% endif %}

unioned as (

    select * from page_messages
    union all
    select * from screen_messages
    union all
    select * from track_messages
    union all
    select * from identify_messages

),

{# interactive events extend sessions: pages and screens always; tracks
    as the catalogue says (unknown client tracks count as interactive);
    server events and identifies never #}
typed as (

    select
        unioned.event_id,
        unioned.source_platform,
        unioned.anonymous_id,
        coalesce(app_users.user_id, unioned.user_id) as user_id,
        unioned.event_type,
        unioned.event_name,
        unioned.page_url,
        unioned.page_url_host,
        unioned.page_url_path,
        unioned.page_title,
        unioned.referrer_host,
        unioned.utm_source,
        unioned.utm_medium,
        unioned.utm_campaign,
        unioned.utm_term,
        unioned.utm_content,
        unioned.gclid,
        unioned.gbraid,
        unioned.wbraid,
        unioned.msclkid,
        unioned.fbclid,
        unioned.li_fat_id,
        unioned.utm_id,
        unioned.hubspot_hsenc,
        unioned.device_class,
        unioned.is_bot,
        case
            when unioned.source_platform = 'server' then false
            when unioned.event_type in ('page', 'screen') then true
            when unioned.event_type = 'track'
                then coalesce(event_catalog.is_interactive, true)
            else false
        end as is_interactive,
        unioned.is_timestamp_suspect,
        unioned.arrival_lag_seconds,
        unioned.event_at,
        unioned.received_at
    from unioned
    left outer join event_catalog
        on unioned.event_name = event_catalog.event_name
    left outer join app_users
        on
            unioned.is_legacy_user_id
            and unioned.user_id = app_users.app_user_id
    {% if is_incremental() %}
    cross join watermark
    where unioned.received_at > watermark.read_from_at
    {% endif %}

)

select * from typed
