{#- A 64-bit floating point type. dbt.type_float() is a 4-byte FLOAT on
    DuckDB, which turns 2.61 into 2.609999895: raw float columns (ad spend,
    exchange rates) are doubles on both engines. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'finstack')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}
