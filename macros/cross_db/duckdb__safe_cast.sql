{#- DuckDB variant of dbt.safe_cast: dbt-duckdb ships none, so dbt's default
    would be a plain cast that fails on a bad value instead of giving NULL.
    dbt_project.yml puts this project first in the `dbt` dispatch order. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
