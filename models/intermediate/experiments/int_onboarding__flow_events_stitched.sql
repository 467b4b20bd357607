{#- One row per Appcues flow or step event (flow_started, flow_completed,
    flow_skipped, step_started, step_completed, step_skipped; web and
    mobile) that reaches the event stream, with the person it belongs to.
    Only events present in int_events__sessionized are kept (purged of
    erased people and their devices); devices quarantined for a bot user
    agent are dropped. The user is the one the event carried, else the
    owner of the device at the event's time; NULL when the device was never
    identified. -#}
with

flow_started as (

    select * from {{ ref('stg_segment__flow_started') }}

),

flow_completed as (

    select * from {{ ref('stg_segment__flow_completed') }}

),

flow_skipped as (

    select * from {{ ref('stg_segment__flow_skipped') }}

),

step_started as (

    select * from {{ ref('stg_segment__step_started') }}

),

step_completed as (

    select * from {{ ref('stg_segment__step_completed') }}

),

step_skipped as (

    select * from {{ ref('stg_segment__step_skipped') }}

),

events as (

    select * from {{ ref('int_events__sessionized') }}

),

quarantined as (

    select * from {{ ref('int_sessions__quarantined') }}

),

stitched as (

    select * from {{ ref('int_identity__anonymous_ids_stitched') }}

),

appcues_events as (

    select
        event_id,
        source_platform,
        anonymous_id,
        'flow_started' as flow_event,
        flow_id,
        flow_name,
        flow_type,
        step_id,
        flow_version,
        step_number
    from flow_started

    union all

    select
        event_id,
        source_platform,
        anonymous_id,
        'flow_completed' as flow_event,
        flow_id,
        flow_name,
        flow_type,
        step_id,
        flow_version,
        step_number
    from flow_completed

    union all

    select
        event_id,
        source_platform,
        anonymous_id,
        'flow_skipped' as flow_event,
        flow_id,
        flow_name,
        flow_type,
        step_id,
        flow_version,
        step_number
    from flow_skipped

    union all

    select
        event_id,
        source_platform,
        anonymous_id,
        'step_started' as flow_event,
        flow_id,
        flow_name,
        flow_type,
        step_id,
        flow_version,
        step_number
    from step_started

    union all

    select
        event_id,
        source_platform,
        anonymous_id,
        'step_completed' as flow_event,
        flow_id,
        flow_name,
        flow_type,
        step_id,
        flow_version,
        step_number
    from step_completed

    union all

    select
        event_id,
        source_platform,
        anonymous_id,
        'step_skipped' as flow_event,
        flow_id,
        flow_name,
        flow_type,
        step_id,
        flow_version,
        step_number
    from step_skipped

),

bot_devices as (

    select distinct
        source_platform,
        anonymous_id
    from quarantined
    where quarantine_reason = 'bot_user_agent'

),

kept as (

    select
        appcues_events.event_id,
        appcues_events.source_platform,
        appcues_events.anonymous_id,
        events.user_id as event_user_id,
        appcues_events.flow_event,
        appcues_events.flow_id,
        appcues_events.flow_name,
        appcues_events.flow_type,
        appcues_events.step_id,
        appcues_events.flow_version,
        appcues_events.step_number,
        events.event_at
    from appcues_events
    inner join events
        on
            appcues_events.source_platform = events.source_platform
            and appcues_events.event_id = events.event_id
    left outer join bot_devices
        on
            appcues_events.source_platform = bot_devices.source_platform
            and appcues_events.anonymous_id = bot_devices.anonymous_id
    where
        bot_devices.anonymous_id is null
        and appcues_events.flow_id is not null

),

users_attached as (

    select
        kept.event_id,
        kept.source_platform,
        kept.anonymous_id,
        coalesce(kept.event_user_id, stitched.user_id) as user_id,
        kept.flow_event,
        kept.flow_id,
        kept.flow_name,
        kept.flow_type,
        kept.step_id,
        kept.flow_version,
        kept.step_number,
        kept.event_at
    from kept
    left outer join stitched
        on
            {{ stitched_owner_at('stitched', 'kept', 'event_at') }}

)

select * from users_attached
