{#- One row per 'KYC Submitted' track() call (kyc_submitted table),
    deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('kyc_submitted') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        provider as kyc_provider,

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
