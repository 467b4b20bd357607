{#- An email address as the person typed it, made comparable across systems:
    trimmed and lower-cased; empty strings become NULL. -#}
{% macro normalize_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}
