{#- One row per identify() call of the four sources, deduplicated: traits
    (email hashed), and the device context identity stitching must not use
    (zeroed advertising ids, bots). -#}
with

unioned as (

    {{ union_segment_sources('identifies') }}

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

        -- traits
        {{ hash_key(normalize_email('email')) }} as email_hash,
        upper(trim(country_code)) as country_code,
        kyc_status,
        signup_platform,

        -- device and client
        context_device_id as device_id,
        nullif(
            context_device_advertising_id,
            '00000000-0000-0000-0000-000000000000'
        ) as advertising_id,
        context_user_agent as user_agent,
        {{ segment_device_class(
            'context_user_agent', 'context_device_type', 'context_device_model'
        ) }} as device_class,
        context_library_name as library_name,
        context_library_version as library_version,

        -- booleans
        marketing_opt_in as is_marketing_opt_in,

        -- timestamps and loader metadata
        created_at as user_created_at,
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
