{#- A salted hash of a personal value (an email), the join key that marts may
    carry instead of the value itself. The salt is var('hash_salt'). -#}
{% macro hash_key(expression) -%}
    {{ dbt.hash(dbt.concat(["'" ~ var('hash_salt') ~ "'", expression])) }}
{%- endmacro %}
