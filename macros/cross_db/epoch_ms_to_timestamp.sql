{#- A UTC timestamp from milliseconds since the Unix epoch. -#}
{% macro epoch_ms_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'finstack')(expression)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_timestamp(expression) -%}
    {{ dbt.dateadd('millisecond', expression, "cast('1970-01-01' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{% macro duckdb__epoch_ms_to_timestamp(expression) -%}
    make_timestamp(cast({{ expression }} as bigint) * 1000)
{%- endmacro %}

{% macro bigquery__epoch_ms_to_timestamp(expression) -%}
    timestamp_millis(cast({{ expression }} as int64))
{%- endmacro %}
