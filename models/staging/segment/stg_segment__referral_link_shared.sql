{#- One row per 'Referral Link Shared' track() call (referral_link_shared
    table), deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('referral_link_shared') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        share_channel,

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
