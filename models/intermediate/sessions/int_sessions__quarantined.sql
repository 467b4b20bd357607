{#- One row per session kept out of fct_sessions, with the reason: a device
    that sent a bot user agent (pages or identifies, bot_user_agents seed),
    a session longer than var('session_max_hours') (a stuck client or a
    monitor), or more than var('session_max_events_per_hour') events per
    hour. The first reason that applies, in that order, is given. -#}
with

sessions as (

    select * from {{ ref('int_sessions__rebuilt') }}

),

messages as (

    select * from {{ ref('base_segment__messages_unioned') }}

),

bot_devices as (

    select distinct
        source_platform,
        anonymous_id
    from messages
    where is_bot

),

classified as (

    select
        sessions.session_id,
        sessions.source_platform,
        sessions.anonymous_id,
        sessions.session_start_at,
        sessions.session_end_at,
        sessions.duration_seconds,
        sessions.event_count,
        case
            when bot_devices.anonymous_id is not null then 'bot_user_agent'
            when sessions.duration_seconds
                > {{ var('session_max_hours') }} * 3600
                then 'runaway_session'
            when sessions.event_count > {{ var('session_max_events_per_hour') }}
                * (case
                    when sessions.duration_seconds > 3600
                        then sessions.duration_seconds / 3600.0
                    else 1
                end)
                then 'event_rate'
        end as quarantine_reason
    from sessions
    left outer join bot_devices
        on
            sessions.source_platform = bot_devices.source_platform
            and sessions.anonymous_id = bot_devices.anonymous_id

)

select *
from classified
where quarantine_reason is not null
