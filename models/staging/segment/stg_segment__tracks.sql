{#- One row per track() call, deduplicated, over the four Segment sources. -#}
with

unioned as (

    {{ union_segment_sources('tracks') }}

),

renamed as (

    select
        -- keys
        id as event_id,
        source_platform,
        anonymous_id,
        {{ segment_user_id('user_id') }} as user_id,

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
        {{ adapter.quote("timestamp") }} as corrected_at,
        original_timestamp as original_at,
        sent_at,
        received_at,
        uuid_ts as _loaded_at

    from unioned

),

flagged as (

    select
        *,
        {{ dbt.safe_cast('user_id', dbt.type_bigint()) }} is not null
            as is_legacy_user_id,
        coalesce(
            corrected_at > {{ dbt.dateadd('minute', 10, 'received_at') }}
            or corrected_at < cast(
                '{{ var("segment_min_valid_date") }}' as {{ dbt.type_timestamp() }}
            )
            or {{ dbt.datediff('corrected_at', 'received_at', 'day') }}
            > {{ var('segment_max_lateness_days') }},
            true
        ) as is_timestamp_suspect,
        {{ dbt.datediff('corrected_at', 'received_at', 'second') }}
            as arrival_lag_seconds
    from renamed

),

deduplicated as (

    select
        *,
        case
            when is_timestamp_suspect then received_at else corrected_at
        end as event_at
    from flagged
    where true
    qualify row_number() over (
        partition by source_platform, event_id
        order by received_at, _loaded_at
    ) = 1

)

select * from deduplicated
