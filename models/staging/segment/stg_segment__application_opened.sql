{#- One row per 'Application Opened' track() call (application_opened
    table), deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('application_opened') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        version as app_version,
        build as app_build,
        url as deep_link_url,
        {{ url_host('url') }} as deep_link_host,
        {{ url_path('url') }} as deep_link_path,

        -- campaign of the link
        {{ segment_url_parameter('url', 'utm_source') }} as utm_source,
        {{ segment_url_parameter('url', 'utm_medium') }} as utm_medium,
        {{ segment_url_parameter('url', 'utm_campaign') }} as utm_campaign,
        {{ segment_url_parameter('url', 'utm_term') }} as utm_term,
        {{ segment_url_parameter('url', 'utm_content') }} as utm_content,

        -- click and tracking ids (case kept)
        {{ segment_url_parameter('url', 'gclid', as_id=true) }} as gclid,
        {{ segment_url_parameter('url', 'gbraid', as_id=true) }} as gbraid,
        {{ segment_url_parameter('url', 'wbraid', as_id=true) }} as wbraid,
        {{ segment_url_parameter('url', 'msclkid', as_id=true) }} as msclkid,
        {{ segment_url_parameter('url', 'fbclid', as_id=true) }} as fbclid,
        {{ segment_url_parameter('url', 'li_fat_id', as_id=true) }}
            as li_fat_id,
        {{ segment_url_parameter('url', 'utm_id', as_id=true) }} as utm_id,
        {{ segment_url_parameter('url', '_hsenc', as_id=true) }}
            as hubspot_hsenc,
        {{ segment_url_parameter('url', '_hsmi', as_id=true) }} as hubspot_hsmi,

        -- booleans
        from_background as is_from_background,

        -- timestamps and loader metadata
        {{ segment_time_columns() }}

    from unioned

),

deduplicated as (

    select
        *,
        {{ segment_message_flags() }}
    from renamed
    where true
    qualify {{ segment_first_received() }}

)

select * from deduplicated
