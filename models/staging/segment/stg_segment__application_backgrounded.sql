{#- One row per 'Application Backgrounded' track() call
    (application_backgrounded table), deduplicated, with its properties
    typed. -#}
with

unioned as (

    {{ union_segment_sources('application_backgrounded') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

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
