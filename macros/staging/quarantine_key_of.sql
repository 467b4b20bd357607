{#- The SQL expression of a model's row key for quarantine reporting, read
    from the model's meta.quarantine_key (NULL at parse time). -#}
{% macro quarantine_key_of(model_name) -%}
    {%- if execute -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
        {%- if node is none or not node.config.meta.get('quarantine_key') -%}
            {{ exceptions.raise_compiler_error(model_name ~ ' declares no meta.quarantine_key') }}
        {%- endif -%}
        {{ node.config.meta.quarantine_key | trim }}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
