{#- numerator / denominator as a double, NULL when the denominator is 0 or
    NULL: a rate of nothing is unknown, not zero. -#}
{% macro safe_ratio(numerator, denominator) -%}
    cast(
        ({{ numerator }}) * 1.0 / nullif({{ denominator }}, 0)
        as {{ type_double() }}
    )
{%- endmacro %}
