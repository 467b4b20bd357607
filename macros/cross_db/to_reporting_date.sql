{#- The reporting date of a UTC instant: its calendar date in
    var('reporting_timezone') (Europe/London). -#}
{% macro to_reporting_date(expression) -%}
    {{ return(adapter.dispatch('to_reporting_date', 'finstack')(expression)) }}
{%- endmacro %}

{% macro default__to_reporting_date(expression) -%}
    cast({{ convert_timezone(expression, var('reporting_timezone')) }} as date)
{%- endmacro %}

{% macro duckdb__to_reporting_date(expression) -%}
    {{ default__to_reporting_date(expression) }}
{%- endmacro %}

{% macro bigquery__to_reporting_date(expression) -%}
    date({{ expression }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}
