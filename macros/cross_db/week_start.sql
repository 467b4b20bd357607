{#- The Monday that starts the ISO week of a date. dbt.date_trunc('week')
    starts weeks on Monday on DuckDB but on Sunday on BigQuery, whose ISO
    week part is isoweek. -#}
{% macro week_start(date_expression) -%}
    {{ return(adapter.dispatch('week_start', 'finstack')(date_expression)) }}
{%- endmacro %}

{% macro default__week_start(date_expression) -%}
    {{ dbt.date_trunc('week', date_expression) }}
{%- endmacro %}

{% macro bigquery__week_start(date_expression) -%}
    {{ dbt.date_trunc('isoweek', date_expression) }}
{%- endmacro %}
