{#- Every row (optionally of a subset) satisfies a SQL boolean expression.
    Our own version of dbt_utils' test. -#}
{% test expression_is_true(model, expression, where_clause=none) %}

select *
from {{ model }}
where
    not coalesce({{ expression }}, false)
    {% if where_clause %}and ({{ where_clause }}){% endif %}

{% endtest %}
