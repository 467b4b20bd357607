{#- One row per 'KYC Approved' track() call (kyc_approved table),
    deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('kyc_approved') }}

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
        investor_category,

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
