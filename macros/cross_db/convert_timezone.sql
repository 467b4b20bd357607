{#- The wall-clock time in `timezone` of a UTC instant (a naive UTC
    timestamp): DST-correct on both engines. -#}
{% macro convert_timezone(expression, timezone) -%}
    {{ return(adapter.dispatch('convert_timezone', 'finstack')(expression, timezone)) }}
{%- endmacro %}

{% macro default__convert_timezone(expression, timezone) -%}
    cast({{ expression }} at time zone 'UTC' at time zone '{{ timezone }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__convert_timezone(expression, timezone) -%}
    timezone('{{ timezone }}', timezone('UTC', {{ expression }}))
{%- endmacro %}

{% macro bigquery__convert_timezone(expression, timezone) -%}
    datetime({{ expression }}, '{{ timezone }}')
{%- endmacro %}
