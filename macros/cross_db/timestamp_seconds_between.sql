{#- Seconds (with fractions, to the microsecond) from one timestamp to a
    later one: negative when the second is earlier. Unlike
    dbt.datediff(..., 'second'), which counts second boundaries crossed,
    1.9 s is 1.9 and not 2, so thresholds like "within 2 s" are exact. -#}
{% macro timestamp_seconds_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('timestamp_seconds_between', 'finstack')(
        start_timestamp, end_timestamp
    )) }}
{%- endmacro %}

{% macro default__timestamp_seconds_between(start_timestamp, end_timestamp) -%}
    ({{ dbt.datediff(start_timestamp, end_timestamp, 'millisecond') }} / 1000.0)
{%- endmacro %}

{% macro duckdb__timestamp_seconds_between(start_timestamp, end_timestamp) -%}
    (epoch({{ end_timestamp }}) - epoch({{ start_timestamp }}))
{%- endmacro %}

{% macro bigquery__timestamp_seconds_between(start_timestamp, end_timestamp) -%}
    (timestamp_diff({{ end_timestamp }}, {{ start_timestamp }}, microsecond) / 1000000)
{%- endmacro %}
