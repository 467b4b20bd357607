{#- One row per event that arrived after its device's reprocessing window
    had passed (event-analytics §5.6): stored by int_events__sessionized
    without a session until a run with a longer var('sessions_reprocess_days')
    or a full refresh sessionizes it. Counted and alerted on (a warning
    test); the parity test proves these rows explain every difference
    between an incremental build and a full refresh. -#}
with

sessionized as (

    select * from {{ ref('int_events__sessionized') }}

),

late_events as (

    select
        event_id,
        source_platform,
        anonymous_id,
        event_type,
        event_name,
        event_at,
        received_at,
        arrival_lag_seconds
    from sessionized
    where is_late_arrival

)

select * from late_events
