{#- Union one Segment table over the four sources.

    Each source's table is selected through the unioned column contract
    (segment_union_columns), tagged with source_platform. A source whose
    contract has no such table (Android has no deep_link_opened) is left out
    at compile time; one whose table does not exist yet in the warehouse
    (Segment creates a table only when its first event arrives) is left out
    at run time with a warning. When no source has the table, the result is
    zero rows with the contract's columns. -#}
{% macro union_segment_sources(table_name) %}
    {%- set columns = segment_union_columns(table_name) -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('no Segment source declares a table ' ~ table_name) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for schema in segment_schemas() -%}
        {%- if context['get_' ~ schema ~ '_columns'](table_name, required=false) is not none -%}
            {%- set relation = source(schema, table_name) -%}
            {%- set exists = true -%}
            {#- unit tests replace the relation with a fixture: no lookup -#}
            {%- if execute and target.name != 'bq_offline'
                  and not (model is defined and model.resource_type == 'unit_test') -%}
                {%- set exists = load_relation(relation) is not none -%}
                {%- if not exists -%}
                    {{ log('union_segment_sources: ' ~ relation ~ ' does not exist yet; left out', info=true) }}
                {%- endif -%}
            {%- endif -%}
            {%- if exists -%}
                {%- do parts.append((schema, relation)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if parts | length == 0 %}
    select
        {%- for col in columns %}
        cast(null as {{ col.datatype }}) as {{ adapter.quote(col.name) }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as source_platform
    limit 0
    {%- else -%}
    {%- for schema, relation in parts %}
    select
        {{ fill_missing_columns(relation, columns) }},
        '{{ schema | replace("segment_", "") }}' as source_platform
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor -%}
    {%- endif -%}
{% endmacro %}
