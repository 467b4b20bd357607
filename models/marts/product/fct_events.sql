{#- One row per Segment page, screen and track of a real visitor (bots and
    quarantined sessions left out), typed, with its session and the user
    stitched at read time: the session's user, else the device's owner at
    the event's time. A view over the incremental int_events__sessionized,
    so stitching never goes stale and nothing is stored twice. -#}
{{ config(materialized='view') }}

with

events as (

    select * from {{ ref('int_events__sessionized') }}

),

sessions as (

    select * from {{ ref('fct_sessions') }}

),

quarantined as (

    select * from {{ ref('int_sessions__quarantined') }}

),

stitched as (

    select * from {{ ref('int_identity__anonymous_ids_stitched') }}

),

{# devices with a quarantined session are left out whole #}
quarantined_devices as (

    select distinct
        source_platform,
        anonymous_id
    from quarantined
    where quarantine_reason = 'bot_user_agent'

),

kept as (

    select events.*
    from events
    left outer join quarantined
        on events.session_id = quarantined.session_id
    left outer join quarantined_devices
        on
            events.source_platform = quarantined_devices.source_platform
            and events.anonymous_id = quarantined_devices.anonymous_id
    where
        quarantined.session_id is null
        and quarantined_devices.anonymous_id is null

),

stitched_events as (

    select
        kept.event_id,
        kept.source_platform,
        kept.anonymous_id,
        coalesce(sessions.user_id, kept.user_id, stitched.user_id) as user_id,
        kept.session_id,
        kept.event_number_in_session,
        kept.event_type,
        kept.event_name,
        kept.page_url,
        kept.page_url_host,
        kept.page_url_path,
        kept.page_title,
        kept.referrer_host,
        kept.utm_source,
        kept.utm_medium,
        kept.utm_campaign,
        kept.utm_term,
        kept.utm_content,
        kept.device_class,
        kept.is_interactive,
        kept.is_timestamp_suspect,
        kept.is_late_arrival,
        kept.arrival_lag_seconds,
        kept.event_at,
        {{ to_reporting_date('kept.event_at') }} as event_date,
        kept.received_at
    from kept
    left outer join sessions
        on kept.session_id = sessions.session_id
    left outer join stitched
        on
            kept.session_id is null
            and {{ stitched_owner_at('stitched', 'kept', 'event_at') }}

)

select * from stitched_events
