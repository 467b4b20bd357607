{#- The clocks of a Segment message (event-analytics §1), renamed: Segment's
    skew-corrected `timestamp` as corrected_at, the device clock at the call
    as original_at, sent_at, received_at (Segment's clock) and uuid_ts as
    _loaded_at. -#}
{% macro segment_time_columns() -%}
    {{ adapter.quote('timestamp') }} as corrected_at,
    original_timestamp as original_at,
    sent_at,
    received_at,
    uuid_ts as _loaded_at
{%- endmacro %}
