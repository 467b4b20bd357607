{#- One row per track() call, deduplicated, over the four Segment sources. -#}
with

unioned as (

    {{ union_segment_sources('tracks') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- context
        context_library_name,
        context_library_version,
        context_app_version,
        context_os_name,
        context_os_version,
        context_device_type,
        context_page_path,
        context_page_url,

        -- time: Segment's skew-corrected timestamp orders events;
        -- received_at (Segment's clock) decides what is new
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
