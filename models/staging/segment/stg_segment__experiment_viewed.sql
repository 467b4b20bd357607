{#- One row per 'Experiment Viewed' track() call (experiment_viewed table),
    deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('experiment_viewed') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        experiment_id,
        experiment_name,
        variation_id,
        variation_name,

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
