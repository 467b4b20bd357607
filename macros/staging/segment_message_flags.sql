{#- Columns derived from the renamed key and time columns of a Segment
    message (select them next to `*` in the deduplication CTE):
    is_legacy_user_id, is_timestamp_suspect, arrival_lag_seconds and
    event_at (corrected_at, or received_at when the timestamp is suspect). -#}
{% macro segment_message_flags() -%}
    {{ dbt.safe_cast('user_id', dbt.type_bigint()) }} is not null
        as is_legacy_user_id,
    {{ segment_is_timestamp_suspect() }} as is_timestamp_suspect,
    {{ dbt.datediff('corrected_at', 'received_at', 'second') }}
        as arrival_lag_seconds,
    case
        when {{ segment_is_timestamp_suspect() }} then received_at
        else corrected_at
    end as event_at
{%- endmacro %}

{#- True when Segment's corrected timestamp cannot be right: more than
    10 minutes after receipt, before var('segment_min_valid_date') (the
    product launch), more than var('segment_max_lateness_days') days before
    receipt, or NULL. -#}
{% macro segment_is_timestamp_suspect(
    corrected_at='corrected_at', received_at='received_at'
) -%}
    coalesce(
        {{ corrected_at }} > {{ timestamp_add('minute', 10, received_at) }}
        or {{ corrected_at }} < cast(
            '{{ var("segment_min_valid_date") }}' as {{ dbt.type_timestamp() }}
        )
        or {{ corrected_at }} < {{ timestamp_add(
            'day', -1 * var('segment_max_lateness_days'), received_at
        ) }},
        true
    )
{%- endmacro %}
