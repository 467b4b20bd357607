{#- The first capture group of a regular expression, NULL when it does not
    match. `pattern` is a plain SQL string literal body (no backslashes). -#}
{% macro regexp_extract_group(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_extract_group', 'finstack')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_extract_group(expression, pattern) -%}
    regexp_extract({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regexp_extract_group(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', 1), '')
{%- endmacro %}

{% macro bigquery__regexp_extract_group(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, r'{{ pattern }}'), '')
{%- endmacro %}
