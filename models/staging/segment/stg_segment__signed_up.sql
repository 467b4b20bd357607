{#- One row per 'Signed Up' track() call (signed_up table), deduplicated,
    with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('signed_up') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        method as signup_method,
        referral_code,

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
