{#- A timestamp moved by a number of dateparts, still a timestamp on every
    engine: dbt.dateadd() returns a DATETIME on BigQuery, which cannot be
    compared with a TIMESTAMP there. Use it whenever the result meets a
    timestamp column; dbt.dateadd() stays right for dates on DuckDB. -#}
{% macro timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return(adapter.dispatch('timestamp_add', 'finstack')(
        datepart, interval, timestamp_expression
    )) }}
{%- endmacro %}

{% macro default__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ dbt.dateadd(datepart, interval, timestamp_expression) }}
{%- endmacro %}

{% macro bigquery__timestamp_add(datepart, interval, timestamp_expression) -%}
    timestamp_add({{ timestamp_expression }}, interval ({{ interval }}) {{ datepart }})
{%- endmacro %}
