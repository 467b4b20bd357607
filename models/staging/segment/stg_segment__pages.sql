{#- One row per page() call of the web source, deduplicated: URL and
    referrer parsed, UTM values and click ids decoded, device class and bot
    flag from the user agent (bot_user_agents seed). -#}
with

unioned as (

    {{ union_segment_sources('pages') }}

),

bot_user_agents as (

    select
        pattern,
        bot_category
    from {{ ref('bot_user_agents') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- page
        name as page_name,
        title as page_title,
        url as page_url,
        {{ url_host('url') }} as page_url_host,
        coalesce(path, {{ url_path('url') }}) as page_url_path,
        {{ url_query('url') }} as page_url_query,
        referrer as referrer_url,
        {{ url_host('referrer') }} as referrer_host,
        {{ url_path('referrer') }} as referrer_path,
        {{ url_query('referrer') }} as referrer_query,

        -- campaign: the landing URL first, Segment's parse of it second
        coalesce(
            {{ segment_url_parameter('url', 'utm_source') }},
            {{ clean_campaign_value('context_campaign_source') }}
        ) as utm_source,
        coalesce(
            {{ segment_url_parameter('url', 'utm_medium') }},
            {{ clean_campaign_value('context_campaign_medium') }}
        ) as utm_medium,
        coalesce(
            {{ segment_url_parameter('url', 'utm_campaign') }},
            {{ clean_campaign_value('context_campaign_name') }}
        ) as utm_campaign,
        coalesce(
            {{ segment_url_parameter('url', 'utm_term') }},
            {{ clean_campaign_value('context_campaign_term') }}
        ) as utm_term,
        coalesce(
            {{ segment_url_parameter('url', 'utm_content') }},
            {{ clean_campaign_value('context_campaign_content') }}
        ) as utm_content,

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
        {{ segment_url_parameter('url', '_hsmi', as_id=true) }}
            as hubspot_hsmi,

        -- device and client
        context_user_agent as user_agent,
        {{ segment_device_class('context_user_agent', 'null', 'null') }}
            as device_class,
        context_ip as ip_address,
        context_locale as client_locale,
        context_timezone as client_timezone,
        context_library_name as library_name,
        context_library_version as library_version,

        -- booleans
        {{ dbt.length('url') }} >= 512 as is_page_url_truncated,
        context_consent_category_preferences_analytics
            as has_analytics_consent,
        context_consent_category_preferences_advertising
            as has_advertising_consent,
        context_consent_category_preferences_functional
            as has_functional_consent,

        -- timestamps and loader metadata
        {{ segment_time_columns() }}

    from unioned

),

bots_matched as (

    select
        renamed.*,
        bot_user_agents.bot_category,
        bot_user_agents.pattern as bot_pattern
    from renamed
    left outer join bot_user_agents
        on lower(renamed.user_agent) like {{ dbt.concat([
            "'%'", 'bot_user_agents.pattern', "'%'"
        ]) }}

),

deduplicated as (

    {#- a user agent matching several patterns fans out: the dedup keeps
        the copy with the longest (most specific) pattern -#}
    select
        *,
        bot_pattern is not null as is_bot,
        {{ segment_message_flags() }}
    from bots_matched
    where true
    qualify {{ segment_first_received(
        then_by=dbt.length('bot_pattern') ~ ' desc'
    ) }}

)

select * from deduplicated
