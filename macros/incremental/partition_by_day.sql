{#- The partition_by config of a model partitioned by day on a timestamp
    column: BigQuery's dict on BigQuery, none elsewhere (dbt-duckdb reads
    partition_by as a list of columns for external files). -#}
{% macro partition_by_day(field) -%}
    {{ return(adapter.dispatch('partition_by_day', 'finstack')(field)) }}
{%- endmacro %}

{% macro default__partition_by_day(field) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro bigquery__partition_by_day(field) -%}
    {{ return({'field': field, 'data_type': 'timestamp', 'granularity': 'day'}) }}
{%- endmacro %}
