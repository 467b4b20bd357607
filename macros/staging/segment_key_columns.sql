{#- The key columns of a Segment message (pages, screens, tracks, identifies,
    event tables), selected from a union_segment_sources() CTE: the message
    id as event_id, the source, the device id and the user id with SDK
    placeholders as NULL. -#}
{% macro segment_key_columns() -%}
    cast(id as {{ dbt.type_string() }}) as event_id,
    source_platform,
    anonymous_id,
    {{ segment_user_id('user_id') }} as user_id
{%- endmacro %}
