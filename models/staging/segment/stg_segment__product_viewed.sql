{#- One row per 'Product Viewed' track() call (product_viewed table),
    deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('product_viewed') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        product_id,
        product_type,

        -- numerics
        annual_rate_bps,

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
