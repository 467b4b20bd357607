{#- Custom schemas (+schema) apply in production only: dev and CI build every
    model into the target schema, so a developer's database stays flat. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is not none and target.name in ('prod', 'bq_offline') -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}
    {%- endif -%}
{%- endmacro %}
