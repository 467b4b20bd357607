{#- One row per Taplytics 'Experiment Viewed' event (source_platform,
    event_id) that reaches the event stream, with the person it belongs to.
    Only events present in int_events__sessionized are kept: that table is
    purged of erased people and their devices, so joining on the event key
    is how erasure reaches this model. Devices quarantined for a bot user
    agent are dropped. The user is the one the event carried (legacy ids
    already mapped there), else the owner of the device at the event's time
    (int_identity__anonymous_ids_stitched); NULL when the device was never
    identified. -#}
with

experiment_viewed as (

    select * from {{ ref('stg_segment__experiment_viewed') }}

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

bot_devices as (

    select distinct
        source_platform,
        anonymous_id
    from quarantined
    where quarantine_reason = 'bot_user_agent'

),

kept as (

    select
        experiment_viewed.event_id,
        experiment_viewed.source_platform,
        experiment_viewed.anonymous_id,
        events.user_id as event_user_id,
        experiment_viewed.experiment_id,
        experiment_viewed.experiment_name,
        experiment_viewed.variation_id,
        experiment_viewed.variation_name,
        events.event_at
    from experiment_viewed
    inner join events
        on
            experiment_viewed.source_platform = events.source_platform
            and experiment_viewed.event_id = events.event_id
    left outer join bot_devices
        on
            experiment_viewed.source_platform = bot_devices.source_platform
            and experiment_viewed.anonymous_id = bot_devices.anonymous_id
    where
        bot_devices.anonymous_id is null
        and experiment_viewed.experiment_id is not null
        and experiment_viewed.variation_id is not null

),

users_attached as (

    select
        kept.event_id,
        kept.source_platform,
        kept.anonymous_id,
        coalesce(kept.event_user_id, stitched.user_id) as user_id,
        case
            when kept.event_user_id is not null then 'identified_in_event'
            when stitched.user_id is not null then 'stitched_device'
            else 'anonymous'
        end as user_id_source,
        kept.experiment_id,
        kept.experiment_name,
        kept.variation_id,
        kept.variation_name,
        kept.event_at
    from kept
    left outer join stitched
        on
            {{ stitched_owner_at('stitched', 'kept', 'event_at') }}

)

select * from users_attached
