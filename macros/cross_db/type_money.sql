{#- The decimal type of money in major units: 38 digits, 9 after the point
    (BigQuery NUMERIC; DuckDB's bare numeric would be DECIMAL(18,3)). -#}
{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'finstack')()) }}
{%- endmacro %}

{% macro default__type_money() -%}
    decimal(38, 9)
{%- endmacro %}

{% macro duckdb__type_money() -%}
    decimal(38, 9)
{%- endmacro %}

{% macro bigquery__type_money() -%}
    numeric
{%- endmacro %}
