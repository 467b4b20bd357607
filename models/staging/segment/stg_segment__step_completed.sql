{#- One row per 'Appcues step_completed' track() call (step_completed
    table), deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('step_completed') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        flow_id,
        flow_name,
        flow_type,
        step_id,

        -- numerics
        flow_version,
        step_number,

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
