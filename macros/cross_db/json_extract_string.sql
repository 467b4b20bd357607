{#- A scalar of a JSON text column as a string, by JSONPath ('$.key'). -#}
{% macro json_extract_string(expression, path) -%}
    {{ return(adapter.dispatch('json_extract_string', 'finstack')(expression, path)) }}
{%- endmacro %}

{% macro default__json_extract_string(expression, path) -%}
    json_extract_string({{ expression }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_extract_string(expression, path) -%}
    json_extract_string({{ expression }}, '{{ path }}')
{%- endmacro %}

{% macro bigquery__json_extract_string(expression, path) -%}
    json_value({{ expression }}, '{{ path }}')
{%- endmacro %}
