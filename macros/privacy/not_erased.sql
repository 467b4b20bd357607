{#- A predicate true unless `column` holds an identifier of an erased
    person of the given type (erased_identifiers_sql). NULL keys (anonymous,
    platform rows) pass: a bare NOT IN would drop them. -#}
{% macro not_erased(column, identifier_type) -%}
    ({{ column }} is null or {{ column }} not in ({{ erased_identifiers_sql(identifier_type) }}))
{%- endmacro %}
