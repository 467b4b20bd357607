{#- One row per 'Application Updated' track() call (application_updated
    table), deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('application_updated') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        previous_version as previous_app_version,
        previous_build as previous_app_build,
        version as app_version,
        build as app_build,

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
