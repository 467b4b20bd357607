{#- The value cast to data_type while its period is complete, NULL for the
    period still being loaded: a partial day or month must not read as a
    drop. -#}
{% macro censored(expression, is_complete, data_type) -%}
    cast(case when {{ is_complete }} then {{ expression }} end as {{ data_type }})
{%- endmacro %}
