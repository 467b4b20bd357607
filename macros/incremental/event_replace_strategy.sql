{#- The incremental strategy that replaces recomputed event rows by their
    stable key (source_platform, event_id): delete+insert on DuckDB, merge
    on BigQuery (which has no delete+insert). The key never changes and is
    unique after staging's deduplication, so both are safe; only documented
    dbt configs are used (event-analytics §5.5). -#}
{% macro event_replace_strategy() -%}
    {{ return(adapter.dispatch('event_replace_strategy', 'finstack')()) }}
{%- endmacro %}

{% macro default__event_replace_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro bigquery__event_replace_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}
