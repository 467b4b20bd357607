{#- One row per 'Application Installed' track() call (application_installed
    table), deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('application_installed') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
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
