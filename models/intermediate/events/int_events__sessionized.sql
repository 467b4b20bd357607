{#- Every Segment page, screen and track with its session, incremental
    (event-analytics §4-§5, docs/DECISIONS.md "Incremental sessions").

    Sessions: per (source_platform, anonymous_id), interactive events
    ordered by (event_at, event_id); a new session starts after more than
    var('session_gap_minutes') of inactivity, or when a different user
    identifies on the device within a visit. session_id hashes the source,
    the anonymous id and the first event's id, so it is stable across runs.

    Incremental runs find new messages by received_at (Segment's clock,
    never event time) after the stored maximum less
    var('segment_overlap_hours'). Each anonymous id touched by them is
    recomputed from its boundary: var('sessions_reprocess_days') before the
    stored maximum received_at, moved back to the start of any stored
    session that reaches into it, so sessions are rebuilt whole. Recomputed
    rows replace the stored ones by event key. A new event older than its
    boundary is stored without a session and flagged is_late_arrival
    (int_segment__late_events lists them) until a run with a longer
    lookback, or a full refresh, sessionizes it.

    Stitched user ids are not stored here (they would go stale): fct_events
    and fct_sessions attach them on every run. Erased people are deleted from
    stored rows by the post-hook (purge_erased_segment_rows). -#}
{{ config(
    materialized='incremental',
    incremental_strategy=event_replace_strategy(),
    unique_key=['source_platform', 'event_id'],
    on_schema_change='fail',
    partition_by=partition_by_day('event_at'),
    cluster_by=['source_platform', 'anonymous_id'],
    post_hook=["{{ purge_erased_segment_rows() }}"]
) }}

with

messages as (

    select * from {{ ref('base_segment__messages_unioned') }}

),

events as (

    select *
    from messages
    where event_type != 'identify' and anonymous_id is not null

),

{% if is_incremental() %}

stored as (

    select * from {{ this }}

),

watermark as (

    select
        max(received_at) as max_received_at,
        {{ timestamp_add(
            'hour', -1 * var('segment_overlap_hours'), 'max(received_at)'
        ) }} as read_from_at,
        {{ timestamp_add(
            'day', -1 * var('sessions_reprocess_days'), 'max(received_at)'
        ) }} as window_start_at
    from stored

),

new_messages as (

    select events.*
    from events
    cross join watermark
    where events.received_at > watermark.read_from_at

),

touched_ids as (

    select distinct
        source_platform,
        anonymous_id
    from new_messages

),

{# stored sessions of touched ids that end within a gap of the window
    start or later: they are rebuilt whole #}
reopened_sessions as (

    select
        stored.source_platform,
        stored.anonymous_id,
        min(stored.session_start_at) as session_start_at
    from stored
    inner join touched_ids
        on
            stored.source_platform = touched_ids.source_platform
            and stored.anonymous_id = touched_ids.anonymous_id
    cross join watermark
    where
        stored.session_id is not null
        and stored.session_end_at > {{ timestamp_add(
            'minute', -1 * var('session_gap_minutes'), 'watermark.window_start_at'
        ) }}
    group by 1, 2

),

boundaries as (

    select
        touched_ids.source_platform,
        touched_ids.anonymous_id,
        case
            when reopened_sessions.session_start_at
                < watermark.window_start_at
                then reopened_sessions.session_start_at
            else watermark.window_start_at
        end as boundary_at
    from touched_ids
    cross join watermark
    left outer join reopened_sessions
        on
            touched_ids.source_platform = reopened_sessions.source_platform
            and touched_ids.anonymous_id = reopened_sessions.anonymous_id

),

stored_keys as (

    select
        stored.source_platform,
        stored.event_id
    from stored
    inner join touched_ids
        on
            stored.source_platform = touched_ids.source_platform
            and stored.anonymous_id = touched_ids.anonymous_id

),

{# every event of a touched id from its boundary on, recomputed #}
in_window as (

    select
        events.*,
        false as is_late_arrival
    from events
    inner join boundaries
        on
            events.source_platform = boundaries.source_platform
            and events.anonymous_id = boundaries.anonymous_id
    where events.event_at >= boundaries.boundary_at

),

{# new events older than their boundary: kept, not sessionized #}
too_late as (

    select
        new_messages.*,
        true as is_late_arrival
    from new_messages
    inner join boundaries
        on
            new_messages.source_platform = boundaries.source_platform
            and new_messages.anonymous_id = boundaries.anonymous_id
    left outer join stored_keys
        on
            new_messages.source_platform = stored_keys.source_platform
            and new_messages.event_id = stored_keys.event_id
    where
        new_messages.event_at < boundaries.boundary_at
        and stored_keys.event_id is null

),

candidates as (

    select * from in_window
    union all
    select * from too_late

),

{% else %}

candidates as (

    select
        events.*,
        false as is_late_arrival
    from events

),

{% endif %}

{# only interactive events that are not late get a session; the others
    share a partition of their own and keep NULL session columns #}
eligible as (

    select
        *,
        is_interactive and not is_late_arrival as is_sessionized
    from candidates

),

gaps as (

    select
        *,
        case
            when not is_sessionized then 0
            when lag(event_at)
                    over (
                        partition by
                            source_platform, anonymous_id, is_sessionized
                        order by event_at, event_id
                    )
                is null then 1
            when event_at > {{ timestamp_add(
                'minute',
                var('session_gap_minutes'),
                'lag(event_at) over (partition by source_platform, anonymous_id, is_sessionized order by event_at, event_id)'
            ) }} then 1
            else 0
        end as is_gap_start
    from eligible

),

visits as (

    select
        *,
        sum(is_gap_start) over (
            partition by source_platform, anonymous_id, is_sessionized
            order by event_at, event_id
            rows between unbounded preceding and current row
        ) as visit_number
    from gaps

),

{# a different user identifying within a visit (shared device) starts a
    new session; compared within the visit only, so the result does not
    depend on events before the boundary #}
hand_overs as (

    select
        *,
        last_value(user_id ignore nulls) over (
            partition by
                source_platform, anonymous_id, is_sessionized, visit_number
            order by event_at, event_id
            rows between unbounded preceding and 1 preceding
        ) as previous_user_id
    from visits

),

session_starts as (

    select
        *,
        sum(
            case
                when is_gap_start = 1 then 1
                when user_id is not null
                    and previous_user_id is not null
                    and user_id != previous_user_id then 1
                else 0
            end
        ) over (
            partition by source_platform, anonymous_id, is_sessionized
            order by event_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from hand_overs

),

sessionized as (

    select
        *,
        first_value(event_id) over (
            partition by
                source_platform, anonymous_id, is_sessionized, session_number
            order by event_at, event_id
            rows between unbounded preceding and unbounded following
        ) as session_first_event_id,
        min(event_at) over (
            partition by
                source_platform, anonymous_id, is_sessionized, session_number
        ) as session_start_at,
        max(event_at) over (
            partition by
                source_platform, anonymous_id, is_sessionized, session_number
        ) as session_end_at,
        row_number() over (
            partition by
                source_platform, anonymous_id, is_sessionized, session_number
            order by event_at, event_id
        ) as event_number_in_session
    from session_starts

),

final_rows as (

    select
        event_id,
        source_platform,
        anonymous_id,
        user_id,
        case when is_sessionized then {{ dbt.hash(dbt.concat([
            'source_platform', "'|'", 'anonymous_id', "'|'", 'session_first_event_id'
        ])) }} end as session_id,
        case when is_sessionized then event_number_in_session end
            as event_number_in_session,
        case when is_sessionized then session_start_at end as session_start_at,
        case when is_sessionized then session_end_at end as session_end_at,
        event_type,
        event_name,
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
        is_interactive,
        is_timestamp_suspect,
        is_late_arrival,
        arrival_lag_seconds,
        event_at,
        received_at
    from sessionized

)

select * from final_rows
